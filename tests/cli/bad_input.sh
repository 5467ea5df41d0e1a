# bad_input.sh - the bad-input table of tests/BAD_INPUT.md, each case
# with its message and exit status, and no crash.
. "$TESTLIB/common.sh"
. "$TESTLIB/build-fixture.sh"
add_target x86_64-unknown-linux-gnu

# Not a git repository: builds as any directory does.
[ -d proj/.git ] && fail "fixture is a git repository"
"$CROSSBENCH" build -C proj > out.txt 2> err.txt
assert_eq "$?" 0 "build outside a git repository"

# Settings with spaces, quotes and shell metacharacters: argv and env
# only, never a shell.
git config -f proj/.crossbench target.x86_64-unknown-linux-gnu.linker '/opt/my tools/gcc ; touch pwned'
git config -f proj/.crossbench --add target.x86_64-unknown-linux-gnu.env 'FAKE_ENV_X=$(touch pwned) `touch pwned` "q" ; echo'
rm -f scen/calls.log
"$CROSSBENCH" build -C proj > out.txt 2> err.txt
assert_eq "$?" 0 "build with metacharacters in settings"
[ -e pwned ] || [ -e proj/pwned ] && fail "a setting was run by a shell"
assert_contains scen/calls.log 'CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER=/opt/my tools/gcc ; touch pwned'
assert_contains scen/calls.log 'env: FAKE_ENV_X=$(touch pwned) `touch pwned` "q" ; echo'

# cargo missing: the build fails naming it; exit 1.
mkdir nocargo
cp proj/Cargo.toml nocargo/
printf '[target]\n\tcargo = /nonexistent/cargo\n[target "x86_64-unknown-linux-gnu"]\n' > nocargo/.crossbench
"$CROSSBENCH" build -C nocargo > out.txt 2> err.txt
assert_eq "$?" 1 "build with no cargo"
assert_contains out.txt "/nonexistent/cargo: not found"

# rustc missing: the doctor says so; exit 1.
printf '[target]\n\tcargo = /nonexistent/cargo\n\trustc = /nonexistent/rustc\n[target "x86_64-unknown-linux-gnu"]\n' > nocargo/.crossbench
"$CROSSBENCH" doctor -C nocargo > out.txt 2> err.txt
assert_eq "$?" 1 "doctor with no cargo or rustc"
assert_contains out.txt "no cargo"

# HOME (and XDG_*) unset: builds run (with --trust); allow says why not.
env -u HOME -u XDG_DATA_HOME -u XDG_CONFIG_HOME "$CROSSBENCH" build -C proj --trust > out.txt 2> err.txt
assert_eq "$?" 0 "build with HOME unset"
env -u HOME -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u CROSSBENCH_TRUST "$CROSSBENCH" allow -C proj > out.txt 2> err.txt
assert_eq "$?" 2 "allow with HOME unset"
assert_contains err.txt "neither XDG_DATA_HOME nor HOME is set"

# A log that is a binary file: said, as grep does; exit 2.
"$CROSSBENCH" diagnose "$CROSSBENCH" > out.txt 2> err.txt
assert_eq "$?" 2 "diagnose of a binary file"
assert_contains err.txt "a binary file, not a build log"
[ -s out.txt ] && fail "diagnose reported rules matched inside a binary: $(head -c 300 out.txt)"

# A symlink loop under the target directory and the log directory.
mkdir -p proj/target/crossbench/logs
ln -s loop1 proj/target/loop2; ln -s loop2 proj/target/loop1
ln -s . proj/target/crossbench/logs/self
ln -s loop1 proj/target/crossbench/logs/loop.log
"$CROSSBENCH" build -C proj > out.txt 2> err.txt
assert_eq "$?" 0 "build with symlink loops under target/"

# A project path with non-UTF-8 bytes and an escape sequence in it.
odd=$(printf 'caf\351-\033]0;x\007')
mkdir "$odd" && cp proj/Cargo.toml proj/.crossbench "$odd/"
"$CROSSBENCH" build -C "$odd" > out.txt 2> err.txt
assert_eq "$?" 0 "build in a non-UTF-8 path"
"$CROSSBENCH" build -C "$odd/missing" > out.txt 2> err.txt
assert_eq "$?" 2 "a missing non-UTF-8 path"
assert_contains err.txt 'caf\xE9-\x1B]0;x\x07/missing'
python3 "$TESTLIB/termcheck.py" err.txt --cli || fail "raw bytes of the path reached the terminal"

# Two builds of one project at once: both recorded whole.
cat > scen/x86_64-unknown-linux-gnu <<'EOS'
sleep 0.3
artifact "${CARGO_TARGET_DIR:-$PWD/target}/x86_64-unknown-linux-gnu/debug/app"
finish true
EOS
before=$(wc -l < proj/target/crossbench/history.tsv)
"$CROSSBENCH" build -C proj > a.txt 2>&1 &
p1=$!
"$CROSSBENCH" build -C proj --strategy split > b.txt 2>&1 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
assert_eq "$r1 $r2" "0 0" "two builds at once"
after=$(wc -l < proj/target/crossbench/history.tsv)
assert_eq "$((after - before))" 2 "history lines added by two builds at once"
awk -F '\t' 'NF < 8 { bad = 1 } END { exit bad }' proj/target/crossbench/history.tsv ||
	fail "a history line was cut: $(cat proj/target/crossbench/history.tsv)"
exit 0
