#!/bin/sh
# flood.sh [MB...] - eight builds printing as fast as they can, at once.
# (FLOOD_RUNS, default 3: runs of each side, alternating; medians shown.)
# For each size (MiB per build; default 20 200 256, i.e. 160 MiB, 1.6 GiB
# and 2 GiB of logs in all), eight fake cargos each print that much of a
# realistic log (cargo status lines, coloured warnings, a 10,000-character
# linker line) on stderr, through `crossbench build` (eight cargos, one per
# target: log file, line index and live diagnosis of each), against the
# same eight producers each piped into `tee FILE > /dev/null` at once.
# Prints both wall times, the ratio and crossbench's peak RSS.  Then one
# log that is a single line of 1 GiB, through `build` and `diagnose`.
# Needs GNU time (Debian's package "time") for the peak RSS.
set -u
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/time ] || { echo "flood: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
[ $# -gt 0 ] || set -- 20 200 256
runs=${FLOOD_RUNS:-3}
work=$(mktemp -d /tmp/cb-bench-flood.XXXXXX)
trap 'rm -rf "$work"' EXIT
targets="x86_64-unknown-linux-gnu x86_64-pc-windows-gnu aarch64-unknown-linux-gnu
i686-unknown-linux-gnu armv7-unknown-linux-gnueabihf riscv64gc-unknown-linux-gnu
powerpc64le-unknown-linux-gnu x86_64-unknown-linux-musl"
{
	for i in $(seq 1 200); do
		echo "   Compiling crate$i v0.$i.0"
		printf '\033[1m\033[33mwarning\033[0m: unused variable: `x%d`\n  --> src/lib.rs:%d:9\n' $i $i
	done
	printf '  = note: "cc" "-m64"'; for i in $(seq 1 400); do printf ' "/t/deps/a%04d.o"' $i; done; echo
} > "$work/block"
blk=$(stat -c %s "$work/block")

# project DIR LOG: eight targets, each "built" by printing LOG on stderr.
project() {
	mkdir -p "$1"
	printf '[package]\nname = "app"\nversion = "0.1.0"\n' > "$1/Cargo.toml"
	printf '#!/bin/sh\ncat "%s" >&2\n' "$2" > "$1/cargo"
	chmod +x "$1/cargo"
	{
		printf '[crossbench]\n\tjobs = 8\n\tstrategy = split\n[target]\n\tcargo = %s/cargo\n' "$1"
		for t in $targets; do printf '[target "%s"]\n' "$t"; done
	} > "$1/.crossbench"
}

# cb DIR: "seconds peak-KiB" of one `crossbench build`.
cb() {
	/usr/bin/time -f '%e %M' -o "$work/time" env XDG_CONFIG_HOME="$work/xdg" \
		"$CB" build -C "$1" > /dev/null 2>&1
	cat "$work/time"
}
# tees CARGO: seconds of eight producers, each into its own tee, at once.
tees() {
	t0=$(now)
	for t in $targets; do
		"$1" 2>&1 | tee "$work/tee.$t" > /dev/null &
	done
	wait
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
	rm -f "$work"/tee.*
}

echo "flood: eight builds printing at once, crossbench build against tee (median of $runs each, alternating)"
printf '  %10s  %10s  %10s  %6s  %10s\n' "per build" "crossbench" "tee" "ratio" "peak RSS"
for mb in "$@"; do
	n=$(( mb * 1048576 / blk + 1 ))
	i=0; while [ $i -lt "$n" ]; do cat "$work/block"; i=$((i + 1)); done > "$work/log"
	rm -rf "$work/p"; project "$work/p" "$work/log"
	cat "$work/log" > /dev/null
	: > "$work/te.times"; : > "$work/cb.times"; rss=0; r=0
	while [ $r -lt "$runs" ]; do
		tees "$work/p/cargo" >> "$work/te.times"
		rm -rf "$work/p/target"
		set -- $(cb "$work/p"); echo "$1" >> "$work/cb.times"
		[ "$2" -gt "$rss" ] && rss=$2
		r=$((r + 1))
	done
	te=$(median < "$work/te.times"); c=$(median < "$work/cb.times")
	# Every byte reached every log (header and result lines aside).
	for f in "$work"/p/target/crossbench/logs/*.log; do
		tail -n +3 "$f" | head -n -1 | cmp -s - "$work/log" ||
			{ echo "flood: $f differs from what was printed" >&2; exit 1; }
	done
	printf '  %7d MiB  %9.2fs  %9.2fs  %6s  %7d MiB\n' "$mb" "$c" "$te" "$(ratio "$c" "$te")" $((rss / 1024))
	rm -rf "$work/p" "$work/log"
done

# One line of 1 GiB, no newline until the end.
head -c 1073741824 /dev/zero | tr '\0' 'x' > "$work/line"; echo >> "$work/line"
rm -rf "$work/p"; project "$work/p" "$work/line"
printf '[crossbench]\n\tjobs = 1\n\tstrategy = split\n[target]\n\tcargo = %s/cargo\n[target "x86_64-unknown-linux-gnu"]\n' "$work/p" > "$work/p/.crossbench"
set -- $(cb "$work/p"); c=$1; rss=$2
/usr/bin/time -f '%e %M' -o "$work/time" "$CB" diagnose "$work/line" > /dev/null 2>&1
set -- $(cat "$work/time"); d=$1; drss=$2
echo "flood: one line of 1 GiB"
printf '  crossbench build     %6.2fs  peak RSS %5d MiB\n' "$c" $((rss / 1024))
printf '  crossbench diagnose  %6.2fs  peak RSS %5d MiB\n' "$d" $((drss / 1024))
