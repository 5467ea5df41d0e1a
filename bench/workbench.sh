#!/bin/sh
# workbench.sh [MB] - the workbench's own timings ($CROSSBENCH_TRACE), in
# tmux at 120x40:
#  - start-up to the first frame on a project with 10 targets whose
#    settings name Debian's cargo and rustc (the doctor probes them behind
#    the screen), median of 5 launches, against `rustc -vV` (the first
#    thing the doctor runs), also median of 5;
#  - under a flood: eight builds each printing MB MiB (default 200) as fast
#    as they can while keys are sent (j and k, one each 50 ms); p50 and p99
#    of the frames' paint times and of key-to-screen (from the last moment
#    the terminal was seen with nothing to read to the end of the frame
#    that shows the key), against the goals (16 ms and 50 ms).
set -u
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || { echo "workbench: tmux is needed" >&2; exit 2; }
mb=${1:-200}
work=$(mktemp -d /tmp/cb-bench-wb.XXXXXX)
sock=cb-bench-wb-$$
trap 'tmux -L $sock kill-server 2>/dev/null; rm -rf "$work"' EXIT
tm() { tmux -L "$sock" "$@"; }
pct() { # pct P < numbers: the P-th percentile
	sort -n | awk -v p="$1" '{ a[NR] = $1 } END { if (!NR) { print 0; exit }
		i = int((NR * p + 99) / 100); if (i < 1) i = 1; print a[i] }'
}
open() { # open DIR TRACE: the workbench in tmux; returns once it is drawn
	tm -f /dev/null new-session -d -x 120 -y 40 \
		"env TERM=xterm-256color LANG=C.UTF-8 XDG_CONFIG_HOME=$work/xdg CROSSBENCH_TRACE=$2 $CB -C $1"
	until tm capture-pane -p 2>/dev/null | grep -q ' lines'; do sleep 0.05; done
}
close() {
	tm send-keys q
	sleep 0.3
	tm kill-server 2>/dev/null
}

# Start-up: ten targets, real probes.
mkdir -p "$work/ten"
cp -r "$top/samples/hello-pure/." "$work/ten/"
rm -rf "$work/ten/target"
{
	printf '[target]\n\tcargo = /usr/bin/cargo\n\trustc = /usr/bin/rustc\n'
	for t in x86_64-unknown-linux-gnu x86_64-pc-windows-gnu aarch64-unknown-linux-gnu \
		 i686-unknown-linux-gnu armv7-unknown-linux-gnueabihf riscv64gc-unknown-linux-gnu \
		 powerpc64le-unknown-linux-gnu s390x-unknown-linux-gnu x86_64-unknown-linux-musl \
		 wasm32-unknown-unknown; do
		printf '[target "%s"]\n' "$t"
	done
} > "$work/ten/.crossbench"
i=0
while [ $i -lt 5 ]; do
	open "$work/ten" "$work/start.trace"
	close
	i=$((i + 1))
done
start=$(awk '$1 == "start" { print $2 / 1000 }' "$work/start.trace" | median)
i=0; : > "$work/rustc.times"
while [ $i -lt 5 ]; do
	t0=$(now); /usr/bin/rustc -vV > /dev/null; t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) * 1000 }' >> "$work/rustc.times"
	i=$((i + 1))
done
rustc_ms=$(median < "$work/rustc.times")
echo "workbench: start-up to the first frame, 10 targets (median of 5)"
printf '  crossbench     %7.1f ms   (goal 50 ms)\n' "$start"
printf '  rustc -vV      %7.1f ms\n' "$rustc_ms"
echo "  ratio crossbench/rustc -vV: $(ratio "$start" "$rustc_ms")"

# The flood.
{
	for i in $(seq 1 200); do
		echo "   Compiling crate$i v0.$i.0"
		printf '\033[1m\033[33mwarning\033[0m: unused variable: `x%d`\n  --> src/lib.rs:%d:9\n' $i $i
	done
	printf '  = note: "cc" "-m64"'; for i in $(seq 1 400); do printf ' "/t/deps/a%04d.o"' $i; done; echo
} > "$work/block"
n=$(( mb * 1048576 / $(stat -c %s "$work/block") + 1 ))
i=0; while [ $i -lt "$n" ]; do cat "$work/block"; i=$((i + 1)); done > "$work/log"
mkdir -p "$work/p"
printf '[package]\nname = "app"\nversion = "0.1.0"\n' > "$work/p/Cargo.toml"
printf '#!/bin/sh\ncat "%s" >&2\n' "$work/log" > "$work/p/cargo"
chmod +x "$work/p/cargo"
{
	printf '[crossbench]\n\tjobs = 8\n\tstrategy = split\n[target]\n\tcargo = %s/cargo\n' "$work/p"
	for t in x86_64-unknown-linux-gnu x86_64-pc-windows-gnu aarch64-unknown-linux-gnu \
		 i686-unknown-linux-gnu armv7-unknown-linux-gnueabihf riscv64gc-unknown-linux-gnu \
		 powerpc64le-unknown-linux-gnu x86_64-unknown-linux-musl; do
		printf '[target "%s"]\n' "$t"
	done
} > "$work/p/.crossbench"
cat "$work/log" > /dev/null
open "$work/p" "$work/flood.trace"
: > "$work/flood.trace"
t0=$(now)
tm send-keys B
until tm capture-pane -p | grep -q 'jobs 8/8'; do sleep 0.02; done
keys=0
while ! tm capture-pane -p | grep -q 'jobs 0/8'; do
	if [ $((keys % 2)) = 0 ]; then tm send-keys j; else tm send-keys k; fi
	keys=$((keys + 1))
	sleep 0.05
done
t1=$(now)
close
awk '$1 == "frame" { print $2 / 1000 }' "$work/flood.trace" > "$work/frames"
awk '$1 == "key" { print $2 / 1000 }' "$work/flood.trace" > "$work/keys"
echo "workbench: eight builds of $mb MiB each printing at once, $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
printf '  frames  %5d   p50 %6.2f ms   p99 %6.2f ms   max %6.2f ms   (goal p99 16 ms)\n' \
	"$(wc -l < "$work/frames")" "$(pct 50 < "$work/frames")" "$(pct 99 < "$work/frames")" "$(pct 100 < "$work/frames")"
printf '  keys    %5d   p50 %6.2f ms   p99 %6.2f ms   max %6.2f ms   (goal p99 50 ms; %d sent)\n' \
	"$(wc -l < "$work/keys")" "$(pct 50 < "$work/keys")" "$(pct 99 < "$work/keys")" "$(pct 100 < "$work/keys")" "$keys"
