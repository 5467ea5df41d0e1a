#!/bin/sh
# watch-tree.sh [RUNS] - what does watch mode's watcher (core/watch.c)
# cost to set up on a big tree, against `inotifywait -r -m` (Debian's
# inotify-tools) on the same tree, in the same run?
#
# The tree (in TMPDIR): a git repository (git init, nothing committed;
# its .gitignore says target/) with 100 directories of 10 subdirectories
# each, 20 files in each subdirectory: 1,101 directories, 20,000 files.
# watchprobe (tests/lib/watchprobe.c) is ready when it prints `ready`,
# inotifywait when it prints `Watches established.` on stderr; both are
# timed from the exec to that line by the same launcher, and their
# memory read from /proc/PID/status (VmRSS, VmHWM) at that moment.
# watchprobe on an empty directory is measured too: the floor that the
# libraries linked into every core program cost, so what the tree itself
# costs shows.
# inotifywait reads no ignore files; watchprobe asks libgit2 about every
# directory.  Then one save is made under each, to see it is seen.
#
# RUNS (default 5) alternating runs of each after one warm-up of each;
# prints medians and the ratios watchprobe/inotifywait.  Not a test: no
# pass or fail, just the numbers.
set -u
. "$(dirname "$0")/lib.sh"
runs=${1:-5}
probe=$top/build/default/tests/watchprobe
[ -x "$probe" ] || { echo "watch-tree: build the test helpers first (make)" >&2; exit 2; }
command -v inotifywait >/dev/null ||
	{ echo "watch-tree: inotifywait is needed (apt-get install inotify-tools)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "watch-tree: python3 is needed" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/cb-bench-watch.XXXXXX")
trap 'rm -rf "$work"' EXIT

tree=$work/tree
mkdir -p "$tree"
(cd "$tree" && git init -q . && echo target/ > .gitignore)
python3 - "$tree" <<'PY'
import os, sys
root = sys.argv[1]
for t in range(100):
    for s in range(10):
        d = os.path.join(root, "m%02d" % t, "s%d" % s)
        os.makedirs(d)
        for f in range(20):
            with open(os.path.join(d, "f%02d.rs" % f), "w") as fh:
                fh.write("// %d %d %d\n" % (t, s, f))
PY

# The launcher: one line per run, "name ms vmrss_kib vmhwm_kib dirs seen".
python3 - "$probe" "$tree" "$runs" > "$work/rows" <<'PY'
import os, select, subprocess, sys, time
probe, tree, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])

def status(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                out[k] = int(v.split()[0])
    return out

def wait_line(stream, marker, deadline=120):
    end = time.monotonic() + deadline
    buf = b""
    while marker not in buf:
        r, _, _ = select.select([stream], [], [], max(0, end - time.monotonic()))
        if not r:
            raise SystemExit("watch-tree: no %r within %ds" % (marker, deadline))
        chunk = os.read(stream.fileno(), 65536)
        if not chunk:
            raise SystemExit("watch-tree: exited before %r: %r" % (marker, buf[-300:]))
        buf += chunk
    return buf

def one(name, n):
    if name == "watchprobe-empty":   # the process and its libraries, no tree
        os.makedirs(tree + ".empty", exist_ok=True)
        argv, marker, which = [probe, tree + ".empty", "--events"], b"VmHWM", "out"
    elif name == "watchprobe":
        argv, marker, which = [probe, tree, "--events"], b"VmHWM", "out"
    else:
        argv = ["inotifywait", "-r", "-m", "-e", "close_write,moved_to,moved_from,create,delete", tree]
        marker, which = b"Watches established.", "err"
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    got = wait_line(p.stdout if which == "out" else p.stderr, marker)
    ms = (time.monotonic() - t0) * 1000
    st = status(p.pid)
    dirs = got.split()[1].decode() if name.startswith("watchprobe") else "-"
    if name == "watchprobe-empty":
        p.kill()
        p.wait()
        print(name, "%.1f" % ms, st.get("VmRSS", 0), st.get("VmHWM", 0), dirs, "-", flush=True)
        return
    # One save deep in the tree: is it seen?
    path = os.path.join(tree, "m%02d" % (n % 100), "s%d" % (n % 10), "f07.rs")
    with open(path, "w") as f:
        f.write("// saved %d\n" % n)
    want = b"change" if name == "watchprobe" else b"CLOSE_WRITE"
    try:
        wait_line(p.stdout, want, 10)
        seen = "yes"
    except SystemExit:
        seen = "no"
    p.kill()
    p.wait()
    print(name, "%.1f" % ms, st.get("VmRSS", 0), st.get("VmHWM", 0), dirs, seen, flush=True)

one("watchprobe", 0); one("inotifywait", 0)   # warm-up: the tree in the page cache
sys.stdout.flush()
print("--", flush=True)
for i in range(runs):
    one("watchprobe", i + 1)
    one("inotifywait", i + 1)
    one("watchprobe-empty", i + 1)
PY
[ $? = 0 ] || exit 1
sed '1,/^--$/d' "$work/rows" > "$work/runs"

col() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$work/runs" | median; }
p_ms=$(col watchprobe 2); i_ms=$(col inotifywait 2)
p_rss=$(col watchprobe 3); i_rss=$(col inotifywait 3)
p_hwm=$(col watchprobe 4); i_hwm=$(col inotifywait 4)
e_ms=$(col watchprobe-empty 2); e_rss=$(col watchprobe-empty 3); e_hwm=$(col watchprobe-empty 4)
dirs=$(awk '$1 == "watchprobe" { print $5; exit }' "$work/runs")
p_seen=$(awk '$1 == "watchprobe" && $6 == "yes"' "$work/runs" | wc -l)
i_seen=$(awk '$1 == "inotifywait" && $6 == "yes"' "$work/runs" | wc -l)

echo "watch-tree: set-up on 1,101 directories / 20,000 files (git repo), median of $runs runs each, alternating, $(date +%F)"
printf '  %-12s %10s %10s %10s %8s %8s\n' "" "ready" "VmRSS" "VmHWM" "dirs" "saw save"
printf '  %-12s %8.1fms %7d KiB %7d KiB %8s %5d/%d\n' watchprobe "$p_ms" "$p_rss" "$p_hwm" "$dirs" "$p_seen" "$runs"
printf '  %-12s %8.1fms %7d KiB %7d KiB %8s %5d/%d\n' inotifywait "$i_ms" "$i_rss" "$i_hwm" "1101" "$i_seen" "$runs"
printf '  %-12s %8.1fms %7d KiB %7d KiB %8s %8s\n' "(empty dir)" "$e_ms" "$e_rss" "$e_hwm" 1 -
printf '  %-12s %10s %10s %10s\n' "ratio" "$(ratio "$p_ms" "$i_ms")" "$(ratio "$p_rss" "$i_rss")" "$(ratio "$p_hwm" "$i_hwm")"
echo "  (ratio: watchprobe / inotifywait; below 1 is better.  watchprobe also asks libgit2"
echo "   whether each directory is ignored; inotifywait reads no ignore files.  (empty dir):"
echo "   watchprobe on an empty directory, the floor of a process linked with libgit2,"
echo "   pcre2, ncurses and jansson; the tree costs watchprobe $((p_hwm - e_hwm)) KiB above it.)"
