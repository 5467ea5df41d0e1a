# smoke.sh - `crossbench build --smoke`: each passed target's program is
# started (natively, or through its runner) with its smoke arguments and
# a timeout, and the result is read like a build log.  The builds are the
# fake cargo's; the programs are real binaries from tests/fixtures/bin,
# the runner a script that says what it was given, and the kernel's and
# qemu's own errors are real.
. "$TESTLIB/common.sh"
. "$TESTLIB/build-fixture.sh"
add_target x86_64-unknown-linux-gnu
add_target aarch64-unknown-linux-gnu
# Both builds pass and leave a program for their target.
echo 'artifact "$CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/debug/app" hello-x86_64; finish true' \
	> scen/x86_64-unknown-linux-gnu
echo 'artifact "$CARGO_TARGET_DIR/aarch64-unknown-linux-gnu/debug/app"; finish true' \
	> scen/aarch64-unknown-linux-gnu
# A runner that shows how it was called, then does what $PWD/runner.do says.
cat > runner.sh <<EOS
#!/bin/sh
echo "runner: \$*"
echo "\$*" >> "$PWD/runner.calls"
[ -f "$PWD/runner.do" ] && . "$PWD/runner.do"
exit 0
EOS
chmod +x runner.sh
set_runner() { git config -f proj/.crossbench target.aarch64-unknown-linux-gnu.runner "$*"; }

# The host's program runs natively; aarch64's through the runner, with
# the default argument --version.
set_runner "$PWD/runner.sh --cpu max"
"$CROSSBENCH" build -C proj --smoke --json > ok.json 2> err.txt
assert_eq "$?" 0 "exit status when both smoke runs pass"
host="[r['smoke'] for r in j['results'] if r['target']=='x86_64-unknown-linux-gnu'][0]"
arm="[r['smoke'] for r in j['results'] if r['target']=='aarch64-unknown-linux-gnu'][0]"
assert_eq "$(json_get ok.json "$host['status']")" passed
assert_eq "$(json_get ok.json "$host['exit_code']")" 0
case $(json_get ok.json "$host['output']") in "hello 0"|"hello 1") ;; *) fail "the host program's first line: $(json_get ok.json "$host['output']")" ;; esac
hostapp=$(json_get ok.json "[r['artifacts'][0] for r in j['results'] if r['target']=='x86_64-unknown-linux-gnu'][0]")
armapp=$(json_get ok.json "[r['artifacts'][0] for r in j['results'] if r['target']=='aarch64-unknown-linux-gnu'][0]")
assert_eq "$(json_get ok.json "$host['command']")" "[\"$hostapp\", \"--version\"]"
assert_eq "$(json_get ok.json "$arm['status']")" passed
assert_contains "$(json_get ok.json "$arm['output']")" "runner: --cpu max $armapp --version"
log=$(json_get ok.json "$arm['log']")
case $log in "$PWD/proj/target/crossbench/logs/aarch64-unknown-linux-gnu-dev-smoke-"*.log) ;; *) fail "smoke log at $log" ;; esac
assert_contains "$log" "smoke run passed: exited 0"
[ -e "${log%.log}.json" ] && fail "a smoke run has no cargo JSON beside its log"
# The table says it too, under each artifact.
"$CROSSBENCH" build -C proj --smoke > table.txt 2>&1
assert_contains table.txt "smoke: exited 0: hello "
assert_contains table.txt "smoke: exited 0: runner: --cpu max"
# A smoke run is not a build: history has builds only.
assert_not_contains proj/target/crossbench/history.tsv "-smoke-"

# smoke = the arguments; empty means none.
git config -f proj/.crossbench target.aarch64-unknown-linux-gnu.smoke "--help me"
rm -f runner.calls
"$CROSSBENCH" build -C proj --target aarch64-unknown-linux-gnu --smoke > /dev/null 2>&1
assert_eq "$(cat runner.calls)" "--cpu max $armapp --help me"
git config -f proj/.crossbench target.aarch64-unknown-linux-gnu.smoke ""
rm -f runner.calls
"$CROSSBENCH" build -C proj --target aarch64-unknown-linux-gnu --smoke > /dev/null 2>&1
assert_eq "$(cat runner.calls)" "--cpu max $armapp"
git config -f proj/.crossbench --unset target.aarch64-unknown-linux-gnu.smoke

# A program that exits 3 fails the run, and the fallback says how it ended.
echo 'echo "app: bad config" >&2; exit 3' > runner.do
"$CROSSBENCH" build -C proj --target aarch64-unknown-linux-gnu --smoke --json > three.json 2> err.txt
assert_eq "$?" 1 "exit status when the program exits 3"
assert_eq "$(json_get three.json "$arm['status']")" failed
assert_eq "$(json_get three.json "$arm['exit_code']")" 3
assert_eq "$(json_get three.json "$arm['diagnoses'][0]['rule']")" smoke-run-failed
assert_contains "$(json_get three.json "$arm['diagnoses'][0]['summary']")" "exited 3"
# The build itself passed.
assert_eq "$(json_get three.json "[r['status'] for r in j['results']][0]")" passed

# A program that hangs is stopped at smoke-timeout, with its whole group.
mark="cb-smoke-hang-$$"
echo "sh -c 'sleep 300; : $mark' & sleep 300" > runner.do
git config -f proj/.crossbench target.aarch64-unknown-linux-gnu.smoke-timeout 1
"$CROSSBENCH" build -C proj --target aarch64-unknown-linux-gnu --smoke --json > hang.json 2> err.txt
assert_eq "$?" 1 "exit status when the program hangs"
assert_contains "$(json_get hang.json "$arm['summary']")" "timed out after 1"
sleep 0.3
pgrep -f "$mark" > /dev/null && { pkill -f "$mark"; fail "the hung program's child was left running"; }
git config -f proj/.crossbench --unset target.aarch64-unknown-linux-gnu.smoke-timeout
rm -f runner.do

# A runner that is not installed: said so, with the preset's runner.
set_runner "/nonexistent/qemu-aarch64 -L /usr/aarch64-linux-gnu"
"$CROSSBENCH" build -C proj --target aarch64-unknown-linux-gnu --smoke --json > gone.json 2> err.txt
assert_eq "$?" 1
assert_eq "$(json_get gone.json "$arm['status']")" failed
assert_eq "$(json_get gone.json "$arm['diagnoses'][0]['category']")" runner-missing
assert_contains "$(json_get gone.json "$arm['diagnoses'][0]['fixes']")" "qemu-aarch64 -L /usr/aarch64-linux-gnu"

# No runner at all: the kernel cannot start an aarch64 program (unless
# binfmt_misc hands it to qemu, as qemu-user-binfmt does).
git config -f proj/.crossbench --unset target.aarch64-unknown-linux-gnu.runner
if ! ls /proc/sys/fs/binfmt_misc/qemu-aarch64* > /dev/null 2>&1; then
	"$CROSSBENCH" build -C proj --target aarch64-unknown-linux-gnu --smoke --json > none.json 2> err.txt
	assert_eq "$?" 1
	assert_contains "$(json_get none.json "$arm['summary']")" "Exec format error"
	assert_eq "$(json_get none.json "$arm['diagnoses'][0]['category']")" runner-missing
fi

# qemu for real, on a program whose loader is x86_64's: qemu says the
# loader is for another machine, and that is the link's fault, not the
# program's.
if command -v qemu-aarch64 > /dev/null; then
	echo 'artifact "$CARGO_TARGET_DIR/aarch64-unknown-linux-gnu/debug/app" hello-aarch64-badinterp; finish true' \
		> scen/aarch64-unknown-linux-gnu
	set_runner "qemu-aarch64 -L $PWD/empty-sysroot"
	mkdir -p empty-sysroot
	"$CROSSBENCH" build -C proj --target aarch64-unknown-linux-gnu --smoke --json > interp.json 2> err.txt
	assert_eq "$?" 1
	assert_eq "$(json_get interp.json "$arm['diagnoses'][0]['category']")" loader-missing "$(cat interp.json)"
	assert_eq "$(json_get interp.json "$arm['diagnoses'][0]['rule']")" qemu-wrong-loader
	assert_contains "$(json_get interp.json "$arm['diagnoses'][0]['fixes']")" "aarch64-linux-gnu-gcc"
fi

# A build that made only a library has nothing to start: skipped, said why.
echo 'unit dep; finish true' > scen/x86_64-unknown-linux-gnu
"$CROSSBENCH" build -C proj --target x86_64-unknown-linux-gnu --smoke --json > lib.json 2> err.txt
assert_eq "$?" 0 "a build with no program still passes"
assert_eq "$(json_get lib.json "$host['status']")" skipped
assert_contains "$(json_get lib.json "$host['reason']")" "program"

# A failed build has no smoke run.
echo 'message "error: boom"; finish false; exit 101' > scen/x86_64-unknown-linux-gnu
"$CROSSBENCH" build -C proj --target x86_64-unknown-linux-gnu --smoke --json > failed.json 2> err.txt
assert_eq "$?" 1
assert_eq "$(json_get failed.json "'smoke' in j['results'][0]")" False

# A project not trusted runs nothing: not its cargo, not its runner.
unset CROSSBENCH_TRUST
echo 'artifact "$CARGO_TARGET_DIR/aarch64-unknown-linux-gnu/debug/app"; finish true' > scen/aarch64-unknown-linux-gnu
set_runner "$PWD/runner.sh"
rm -f runner.calls scen/calls.log
XDG_DATA_HOME=$PWD/data "$CROSSBENCH" build -C proj --target aarch64-unknown-linux-gnu --smoke > untrusted.txt 2>&1
assert_eq "$?" 3 "exit status of an untrusted project"
[ -e runner.calls ] && fail "the runner of an untrusted project ran"
[ -e scen/calls.log ] && fail "the cargo of an untrusted project ran"
assert_contains untrusted.txt "runner = $PWD/runner.sh"
exit 0
