# remote-ssh.sh - issue 14's journey against a real sshd this test starts
# on 127.0.0.1 (Debian's openssh-server; its own host key, authorized_keys
# and port, all in this directory), acting as the build host:
#   - a real aarch64 build of hello-pure "on" the host, next to a local
#     x86_64 build: the log says where, streams while cargo runs, the
#     artifact comes back to target/crossbench/<triple>/dev/ and is verified;
#     target/, .git/ and what .gitignore ignores stay here;
#   - the doctor asks the host for cargo, rustc and the std;
#   - a cancel (SIGTERM, as ^C) mid-build leaves no process behind on the host;
#   - stopping sshd mid-build gives "unreachable" at once, with the log so
#     far, and nothing left running there; a host that stops answering
#     (its sshd stopped with SIGSTOP) is "unreachable" within the
#     keep-alive's 15 s; a host that is down from the start is
#     "unreachable" too, and the doctor says so with the fix.
. "$TESTLIB/common.sh"
[ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/aarch64-unknown-linux-gnu ] ||
	fail "Debian's cargo and the aarch64 std are missing: .ci/deps test installs them"
A=aarch64-unknown-linux-gnu
H=x86_64-unknown-linux-gnu
T=$PWD
export HOME="$T" XDG_CONFIG_HOME="$T/xdg"

# --- the build host --------------------------------------------------------
. "$TESTLIB/sshd.sh"

# --- the project: one target there, one here ---------------------------------
copy_sample hello-pure app
cat >> app/.crossbench <<EOF
[target "$A"]
	host = buildhost
[host "buildhost"]
	ssh-options = -F $T/ssh_config
	dir = $T/there/app
EOF
printf '*.secret\n/target\n' > app/.gitignore
echo "not for the host" > app/keys.secret
mkdir -p app/target && echo "local output" > app/target/local-only
cb() { clean_env XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "$CROSSBENCH" "$@"; }
# In the background, as its own pid (an async list ignores SIGINT: TERM is
# the cancel here, as crossbench build treats both alike).
cb_bg() { (exec env -i HOME="$HOME" PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "$CROSSBENCH" "$@") & cbpid=$!; }

# A cloned project's host is a program like its linker: nothing connects
# before it is allowed, and the question names the host first.
(CROSSBENCH_TRUST=; cb build -C app --target $A > untrusted.txt 2>&1); rc=$?
assert_eq "$rc" 3 "a build of a project not allowed"
assert_contains untrusted.txt "program  $A  host = buildhost"
assert_contains untrusted.txt "program  [host \"buildhost\"]  address = buildhost  ssh-options = -F $T/ssh_config"
[ -e there ] && fail "an untrusted project was copied to the host"

cb build -C app --trust --target $A --target $H --json > both.json 2> err.txt
assert_eq "$?" 0 "both builds: $(cat err.txt)"
r="[x for x in j['results'] if x['target']=='$A'][0]"
assert_eq "$(json_get both.json "$r['status']")" passed
assert_eq "$(json_get both.json "$r['artifacts'][0]")" \
	"$T/app/target/crossbench/$A/dev/hello-pure" "the artifact brought back"
assert_eq "$(json_get both.json "$r['artifacts_ok']")" True "the artifact check"
assert_eq "$(json_get both.json "$r['host']")" buildhost
file -b "app/target/crossbench/$A/dev/hello-pure" | grep -q 'ARM aarch64' ||
	fail "not an aarch64 binary: $(file -b "app/target/crossbench/$A/dev/hello-pure")"
assert_eq "$(json_get both.json "[x for x in j['results'] if x['target']=='$H'][0]['status']")" passed \
	"the local target beside it"
log=$(json_get both.json "$r['log']")
assert_contains "$log" "$A (dev) on buildhost in $T/there/app"
assert_contains "$log" "hello-pure v0.1.0 ($T/there/"
assert_contains "$log" "copied 1 artifact to $T/app/target/crossbench/$A/dev"
# What went there: the sources; not target/, not what git ignores.
[ -f there/app/src/main.rs ] && [ -f there/app/Cargo.toml ] || fail "the sources are not on the host"
[ -e there/app/keys.secret ] && fail "a .gitignore'd file was copied to the host"
[ -e there/app/target/local-only ] && fail "target/ was copied to the host"
[ -f "there/app/target/crossbench/build/$A/$A/debug/hello-pure" ] || fail "no build on the host"
# A file removed here goes there too (rsync --delete), the host's build
# directory stays.
echo 'pub fn x() {}' > app/src/extra.rs
cb build -C app --trust --target $A > /dev/null 2>&1 && [ -f there/app/src/extra.rs ] || fail "extra.rs not copied"
rm app/src/extra.rs
cb build -C app --trust --target $A > again.txt 2>&1 || { cat again.txt; fail "the second build"; }
[ -e there/app/src/extra.rs ] && fail "a file deleted here stayed on the host"
[ -f "there/app/target/crossbench/build/$A/$A/debug/hello-pure" ] || fail "the host's build directory went"

# --- the doctor on the host ---------------------------------------------------
cb doctor -C app --trust --target $A --json > doc.json 2> err.txt
f="j['targets'][0]['findings']"
assert_eq "$(json_get doc.json "[x['status'] for x in $f if x['what']=='host']")" '["ok"]' "host reachable"
assert_eq "$(json_get doc.json "[x['status'] for x in $f if x['what']=='std']")" '["ok"]' "the aarch64 std there"
assert_eq "$(json_get doc.json "[x['path'] for x in $f if x['what']=='cargo']")" '["/usr/bin/cargo"]'

# --- a slow build: cancel, then the host going away ---------------------------
copy_sample hello-pure slow
cat > slow/build.rs <<'EOF'
fn main() {
    let f = std::env::var("SLOW_PID").unwrap();
    std::fs::write(&f, format!("{}", std::process::id())).unwrap();
    std::thread::sleep(std::time::Duration::from_secs(120));
}
EOF
cat >> slow/.crossbench <<EOF
[target "$A"]
	host = buildhost
	env = SLOW_PID=$T/slow.pid
[host "buildhost"]
	ssh-options = -F $T/ssh_config
	dir = $T/there/slow
EOF
# Whether pid is gone (or a zombie no one reaps in a container).
gone() { ! [ -d /proc/$1 ] || grep -q '^State:.*Z' /proc/$1/status 2>/dev/null; }
wait_pid_file() {
	for i in $(seq 1 300); do [ -s slow.pid ] && return 0; sleep 0.2; done
	cat slow/target/crossbench/logs/*.log 2>/dev/null; fail "the build script never started on the host"
}
left_there() {  # processes still running in the host's copy
	for p in $(pgrep -f "$T/there/slow"); do gone $p || echo $p; done
	gone "$(cat slow.pid)" || echo "build-script:$(cat slow.pid)"
}

rm -f slow.pid
cb_bg build -C slow --trust --target $A --json > cancel.json 2> err.txt
wait_pid_file
kill -TERM $cbpid
wait $cbpid
assert_eq "$(json_get cancel.json "j['results'][0]['status']")" cancelled
for i in $(seq 1 30); do [ -z "$(left_there)" ] && break; sleep 0.2; done
assert_eq "$(left_there)" "" "processes left on the host after the cancel"

rm -f slow.pid
cb_bg build -C slow --trust --target $A --json > lost.json 2> err.txt
wait_pid_file
t0=$(date +%s)
stop_sshd
wait $cbpid
t1=$(date +%s)
assert_eq "$(json_get lost.json "j['results'][0]['status']")" unreachable
[ $((t1 - t0)) -le $((5 + 5 * 3)) ] || fail "unreachable took $((t1 - t0)) s"
log=$(json_get lost.json "j['results'][0]['log']")
assert_contains "$log" "hello-pure v0.1.0 ($T/there/" "the log so far"
assert_contains "$log" "host buildhost unreachable (lost during the build)"
for i in $(seq 1 30); do [ -z "$(left_there)" ] && break; sleep 0.2; done
assert_eq "$(left_there)" "" "processes left on the host after sshd stopped"

# --- a host that stops answering: the link goes silent, not closed ------------
start_sshd
rm -f slow.pid
cb_bg build -C slow --trust --target $A --json > silent.json 2> err.txt
wait_pid_file
l=$(cat sshd.pid)
sessions=$(pgrep -P "$l"; for p in $(pgrep -P "$l"); do pgrep -P "$p"; done)
sessions=$(for p in $sessions; do case $(cat /proc/$p/comm 2>/dev/null) in sshd) echo $p ;; esac; done)
[ -n "$sessions" ] || fail "no sshd session to stop"
kill -STOP $sessions
t0=$(date +%s)
wait $cbpid
t1=$(date +%s)
assert_eq "$(json_get silent.json "j['results'][0]['status']")" unreachable "a host that stopped answering"
# ServerAliveInterval 5 x ServerAliveCountMax 3, and a little.
[ $((t1 - t0)) -le 25 ] || fail "a silent host took $((t1 - t0)) s to be unreachable"
# The host has not noticed (its session is still there, stopped): the
# build there still runs.  The next build of that target ends it first.
orphan=$(cat slow.pid)
gone "$orphan" && fail "the build there ended although the host never noticed"
rm -f slow.pid
cb_bg build -C slow --trust --target $A --json > next.json 2> err.txt
wait_pid_file
for i in $(seq 1 30); do gone "$orphan" && break; sleep 0.2; done
gone "$orphan" || fail "the build a lost connection left running there was not ended"
kill -TERM $cbpid
wait $cbpid
assert_contains "$(json_get next.json "j['results'][0]['log']")" "ending the build left running by a lost connection"
kill -CONT $sessions 2>/dev/null
stop_sshd
for i in $(seq 1 30); do [ -z "$(left_there)" ] && break; sleep 0.2; done
assert_eq "$(left_there)" "" "processes left on the host after it stopped answering"

# --- a host that is down from the start ---------------------------------------
cb build -C app --trust --target $A --json > down.json 2> err.txt
assert_eq "$?" 1 "a build on a host that is down"
assert_eq "$(json_get down.json "j['results'][0]['status']")" unreachable
cb doctor -C app --trust --target $A > doc.txt 2>&1
assert_contains doc.txt "no host"
assert_contains doc.txt "buildhost unreachable: ssh: connect to host 127.0.0.1 port"
assert_contains doc.txt "fix: check that 'ssh buildhost true' logs in"
exit 0
