#!/bin/sh
# ingest.sh [MB] - what does crossbench cost on a build that prints a lot?
# A fake cargo prints a realistic log of MB megabytes (default 1024: cargo
# status lines, warnings and a linker command line of 10,000 characters)
# on stderr; crossbench stores it (log file plus line index) against
# `tee` writing the same bytes to a file.  Prints both times and the ratio.
set -u
. "$(dirname "$0")/lib.sh"
mb=${1:-1024}
work=$(mktemp -d /tmp/cb-bench-ingest.XXXXXX)
mkdir -p "$work/p"
printf '[package]\nname = "app"\nversion = "0.1.0"\n' > "$work/p/Cargo.toml"
# One block of realistic lines, repeated to the size asked for.
{
	for i in $(seq 1 200); do
		echo "   Compiling crate$i v0.$i.0"
		printf '\033[1m\033[33mwarning\033[0m: unused variable: `x%d`\n  --> src/lib.rs:%d:9\n' $i $i
	done
	printf '  = note: "cc" "-m64"'; for i in $(seq 1 400); do printf ' "/t/deps/a%04d.o"' $i; done; echo
} > "$work/block"
blk=$(stat -c %s "$work/block")
n=$(( mb * 1048576 / blk + 1 ))
i=0; : > "$work/big"
while [ $i -lt "$n" ]; do cat "$work/block"; i=$((i + 1)); done > "$work/big"
size=$(stat -c %s "$work/big")
cat > "$work/cargo" <<EOC
#!/bin/sh
cat "$work/big" >&2
EOC
chmod +x "$work/cargo"
printf '[target]\n\tcargo = %s\n[target "x86_64-unknown-linux-gnu"]\n' "$work/cargo" > "$work/p/.crossbench"
cat "$work/big" > /dev/null   # warm the page cache for both
t0=$(now); XDG_CONFIG_HOME=$work/xdg "$CB" build -C "$work/p" > /dev/null; t1=$(now)
cb=$(awk -v a="$t0" -v b="$t1" "BEGIN{print b-a}")
t0=$(now); "$work/cargo" 2>&1 | tee "$work/tee.log" > /dev/null; t1=$(now)
tee_s=$(awk -v a="$t0" -v b="$t1" "BEGIN{print b-a}")
log=$(ls "$work"/p/target/crossbench/logs/*.log)
lines=$(wc -l < "$log")
# Every byte must be there: the log is the input plus crossbench's header
# (2 lines) and result (1 line).
body=$(tail -n +3 "$log" | head -n -1 | cmp - "$work/big" && echo same)
[ "$body" = same ] || { echo "ingest: the log differs from what was printed" >&2; exit 1; }
echo "ingest: $((size / 1048576)) MiB, $lines lines"
printf '  crossbench build (log + index)  %8.2fs  %6.0f MiB/s\n' "$cb" "$(awk -v s="$size" -v t="$cb" "BEGIN{print s/1048576/t}")"
printf '  tee to a file                   %8.2fs  %6.0f MiB/s\n' "$tee_s" "$(awk -v s="$size" -v t="$tee_s" "BEGIN{print s/1048576/t}")"
echo "  ratio crossbench/tee: $(ratio "$cb" "$tee_s")"
rm -rf "$work"
