# lib.sh - timing helpers for the benchmarks (public tools only).
now() { date +%s.%N; }
# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
top=$(cd "$(dirname "$0")/.." && pwd)
CB=${CROSSBENCH:-$top/crossbench}
[ -x "$CB" ] || { echo "bench: build crossbench first (make)" >&2; exit 2; }
