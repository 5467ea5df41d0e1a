#!/bin/sh
# frame.sh [MILLION_LINES] - does drawing a frame cost the same for a
# 100-line log as for a 10-million-line one?  The workbench (in tmux,
# 120x40) opens a finished build's log from disk and is scrolled the same
# way in both: 200 lines up, to the top, 100 down, to the end.  Its own
# record of each frame's paint time ($CROSSBENCH_TRACE) gives the
# median for each log and their ratio.
set -u
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || { echo "frame: tmux is needed" >&2; exit 2; }
mil=${1:-10}
work=$(mktemp -d /tmp/cb-bench-frame.XXXXXX)

# A project whose one target's build printed $1 lines of cargo-like text.
make_project() { # make_project DIR LINES
	mkdir -p "$1"
	printf '[package]\nname = "app"\nversion = "0.1.0"\n' > "$1/Cargo.toml"
	awk -v n="$2" 'BEGIN { for (i = 1; i <= n; i++)
		printf "   Compiling crate%d v0.%d.0 (line %d of the log, \033[1m\033[32mcoloured\033[0m)\n", i, i % 97, i }' > "$1/out.txt"
	printf '#!/bin/sh\ncat "%s/out.txt" >&2\n' "$1" > "$1/cargo"
	chmod +x "$1/cargo"
	printf '[target]\n\tcargo = %s/cargo\n[target "x86_64-unknown-linux-gnu"]\n' "$1" > "$1/.crossbench"
	XDG_CONFIG_HOME="$work/xdg" "$CB" build -C "$1" > /dev/null
	rm "$1/out.txt"
}

frames() { # frames DIR: median µs of the frames drawn while scrolling
	rm -f "$work/frames"
	tmux -L cb-bench-frame -f /dev/null new-session -d -x 120 -y 40 \
		"env TERM=xterm-256color LANG=C.UTF-8 XDG_CONFIG_HOME=$work/xdg CROSSBENCH_TRACE=$work/frames.all $CB -C $1"
	until tmux -L cb-bench-frame capture-pane -p | grep -q 'lines '; do sleep 0.2; done
	: > "$work/frames.all"
	tmux -L cb-bench-frame send-keys Enter
	i=0; while [ $i -lt 200 ]; do tmux -L cb-bench-frame send-keys k; i=$((i + 1)); done
	tmux -L cb-bench-frame send-keys g
	i=0; while [ $i -lt 100 ]; do tmux -L cb-bench-frame send-keys j; i=$((i + 1)); done
	tmux -L cb-bench-frame send-keys G
	sleep 1
	tmux -L cb-bench-frame send-keys q
	sleep 0.5
	tmux -L cb-bench-frame kill-server 2>/dev/null
	awk '$1 == "frame" { print $2 }' "$work/frames.all" > "$work/frames"
	echo "$(wc -l < "$work/frames") $(median < "$work/frames")"
}

make_project "$work/small" 100
make_project "$work/big" $((mil * 1000000))
set -- $(frames "$work/small"); sn=$1; small=$2
set -- $(frames "$work/big"); bn=$1; big=$2
echo "frame: median paint time while scrolling a log, 120x40"
printf '  %9d lines  %4d frames  %6.0f us\n' 100 "$sn" "$small"
printf '  %9d lines  %4d frames  %6.0f us\n' $((mil * 1000000)) "$bn" "$big"
echo "  ratio big/small: $(ratio "$big" "$small")"
rm -rf "$work"
