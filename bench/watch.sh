#!/bin/sh
# watch.sh [SAVES] - how fast does watch mode answer a save, and does a
# burst of saves start one build?  Against the plain way a skilled user
# would watch without crossbench, in the same run:
#
#   while inotifywait -qq -r -e close_write,moved_to --exclude '/(target|\.git)/' .; do
#       cargo build ...; done
#
# Both build with the fake cargo (tests/lib/fake-cargo), which writes its
# log at once and passes: what is timed is the watcher, not the compiler.
#   latency  a save (append to src/main.rs) to the first byte of the new
#            build's log: crossbench build --watch's log file, the
#            loop's output file.  SAVES saves (default 50), each after the
#            previous build ended; median and p95.  crossbench waits for
#            the save to settle (150 ms of quiet) on purpose.
#   burst    100 saves within one second: how many builds each started.
# Not a test: no pass or fail, just the numbers.
set -u
. "$(dirname "$0")/lib.sh"
saves=${1:-50}
command -v inotifywait >/dev/null ||
	{ echo "watch: inotifywait is needed (apt-get install inotify-tools)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "watch: python3 is needed" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/cb-bench-watchsave.XXXXXX")
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null; rm -rf "$work"' EXIT

mk() {   # mk DIR: a project the fake cargo builds, in a git repository
	mkdir -p "$1/src" "$1/scen"
	printf '[package]\nname = "app"\nversion = "0.1.0"\n' > "$1/Cargo.toml"
	printf '[target]\n\tcargo = %s/tests/lib/fake-cargo\n[target "x86_64-unknown-linux-gnu"]\n' "$top" > "$1/.crossbench"
	echo 'fn main() {}' > "$1/src/main.rs"
	printf 'target/\nscen/\n' > "$1/.gitignore"
	git -C "$1" init -q
}
mk "$work/cb"
mk "$work/loop"

# crossbench build --watch; its logs are the new files in logs/.
(cd "$work/cb" && FAKE_CARGO_DIR="$work/cb/scen" XDG_CONFIG_HOME="$work/xdg" \
	CROSSBENCH_TRUST="$work" exec "$CB" build --watch --target x86_64-unknown-linux-gnu \
	> "$work/cb.out" 2>&1) &
echo $! > "$work/cb.pid"
# The loop: each build's output into its own numbered file.
(cd "$work/loop" && n=0 && while inotifywait -qq -r -e close_write,moved_to \
	--exclude '/(target|\.git|scen)/' .; do
		n=$((n + 1))
		FAKE_CARGO_DIR="$work/loop/scen" "$top/tests/lib/fake-cargo" build \
			--target x86_64-unknown-linux-gnu > "$work/loop.$n.out" 2>&1
	done) &
echo $! > "$work/loop.pid"

python3 - "$work" "$saves" <<'PY'
import glob, os, sys, time
work, saves = sys.argv[1], int(sys.argv[2])
logs = os.path.join(work, "cb", "target", "crossbench", "logs")

def wait(cond, limit=30):
    end = time.monotonic() + limit
    while not cond():
        if time.monotonic() > end:
            raise SystemExit("watch: timed out; crossbench said:\n" +
                             open(os.path.join(work, "cb.out")).read()[-2000:])
        time.sleep(0.0005)

def cb_logs():
    return sorted(glob.glob(os.path.join(logs, "*.log")))

def loop_outs():
    return glob.glob(os.path.join(work, "loop.*.out"))

def nonempty(files):
    return [f for f in files if os.path.getsize(f) > 0]

def rounds():
    return open(os.path.join(work, "cb.out")).read().count("changed: building again")

def save(proj, text):
    with open(os.path.join(work, proj, "src", "main.rs"), "a") as f:
        f.write(text)

# crossbench: the first build, then the watch is up.
wait(lambda: "watching" in open(os.path.join(work, "cb.out")).read())
time.sleep(0.5)
cb, lp = [], []
for i in range(saves):
    before, r = len(cb_logs()), rounds()
    t0 = time.monotonic()
    save("cb", "// %d\n" % i)
    wait(lambda: len(nonempty(cb_logs())) > before)
    cb.append((time.monotonic() - t0) * 1000)
    wait(lambda: open(os.path.join(work, "cb.out")).read().count("passed") >= r + 2)
    before = len(loop_outs())
    t0 = time.monotonic()
    save("loop", "// %d\n" % i)
    wait(lambda: len(nonempty(loop_outs())) > before)
    lp.append((time.monotonic() - t0) * 1000)
    time.sleep(0.2)   # its build ends; inotifywait is watching again

def med(v):
    v = sorted(v); n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
def p95(v):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(0.95 * (len(v) - 1))))]

print("watch: a save to the first byte of the new build's log, %d saves" % saves)
print("  %-44s median %6.1f ms  p95 %6.1f ms" % ("crossbench build --watch (150 ms settle)", med(cb), p95(cb)))
print("  %-44s median %6.1f ms  p95 %6.1f ms" % ("while inotifywait ...; do cargo build; done", med(lp), p95(lp)))
print("  ratio crossbench/loop (median): %.2f; goal: under 250 ms" % (med(cb) / med(lp)))

# A burst: 100 saves in one second, then quiet.
time.sleep(1)
r0, l0 = rounds(), len(loop_outs())
t0 = time.monotonic()
for i in range(100):
    save("cb", "// burst %d\n" % i)
    save("loop", "// burst %d\n" % i)
    time.sleep(max(0, t0 + (i + 1) * 0.01 - time.monotonic()))
span = time.monotonic() - t0
time.sleep(4)
print("watch: 100 saves in %.2f s started %d build(s) in crossbench, %d in the loop"
      % (span, rounds() - r0, len(loop_outs()) - l0))
PY
