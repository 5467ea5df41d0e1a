# crossbench build --watch: a save builds the targets again and prints the
# round; a save while a build runs cancels the stale build and starts
# again; a burst of saves is one round; target/ and git-ignored paths start
# nothing; the project deleted ends the watch with a message (exit 1);
# ^C ends it (130) with nothing left running.
. "$TESTLIB/common.sh"
. "$TESTLIB/build-fixture.sh"
add_target x86_64-pc-windows-gnu
add_target aarch64-unknown-linux-gnu
mkdir -p proj/src proj/out
echo 'fn main() {}' > proj/src/main.rs
printf 'target/\nout/\n' > proj/.gitignore
git -C proj init -q
# Each build sleeps as long as scen/sleep says (0 at first).
echo 0 > scen/sleep
for t in x86_64-pc-windows-gnu aarch64-unknown-linux-gnu; do
	printf 'sleep "$(cat "$FAKE_CARGO_DIR/sleep")"\nartifact "$PWD/target/%s/debug/app"\nfinish true\n' $t > scen/$t
done
calls() { grep -c "^argv:" scen/calls.log 2>/dev/null || echo 0; }
# until FILE has N lines matching PATTERN (at most 30 s)
until_n() {
	i=0
	while [ "$(grep -c -- "$2" "$1")" -lt "$3" ]; do
		i=$((i + 1))
		[ $i -ge 300 ] && { cat "$1"; fail "never $3 x '$2' in $1"; }
		sleep 0.1
	done
}

"$CROSSBENCH" build --watch --json -C proj > usage.txt 2>&1
assert_eq "$?" 2 "--watch with --json"
assert_contains usage.txt "cannot be used with --json"

"$CROSSBENCH" build -C proj --watch > out.txt 2> err.txt &
pid=$!
until_n out.txt "watching [0-9]* director[iesy]* under" 1
until_n out.txt "passed" 2
c1=$(calls)

# A save: one round, the log starts with the file.
echo '// 1' >> proj/src/main.rs
until_n out.txt "src/main.rs changed: building again" 1
until_n out.txt "passed" 4
c2=$(calls)
round=$((c2 - c1))
[ "$round" -ge 1 ] || fail "no cargo ran for the save"
log=$(ls -t proj/target/crossbench/logs/aarch64-*.log | head -n 1)
head -n 1 "$log" | grep -q "^crossbench: started by a change to src/main.rs$" ||
	fail "the log does not start with the file: $(head -n 2 "$log")"

# Ignored paths and target/: nothing (a real save afterwards shows the
# watch is alive, and it is the one that counted).
echo x > proj/target/stamp
echo y > proj/out/gen.rs
echo '// 2' >> proj/src/lib.rs
until_n out.txt "changed: building again" 2
assert_not_contains out.txt "target/stamp changed"
assert_not_contains out.txt "out/gen.rs changed"
assert_contains out.txt "src/lib.rs changed: building again"
until_n out.txt "passed" 6

# A save while the builds run: they are cancelled as stale, then built again.
echo 3 > scen/sleep
echo '// 3' >> proj/src/main.rs
until_n out.txt "changed: building again" 3
sleep 1
echo 0 > scen/sleep
echo '// 4' >> proj/src/main.rs
until_n out.txt "changed: building again" 4
until_n out.txt "cancelled" 2
until_n out.txt "passed" 8
c3=$(calls)

# A burst of 100 saves in about a second: one round.
python3 -c '
import time
for i in range(100):
    with open("proj/src/main.rs", "a") as f:
        f.write("// burst %d\n" % i)
    time.sleep(0.01)
'
until_n out.txt "changed: building again" 5
until_n out.txt "passed" 10
sleep 2
assert_eq "$(grep -c "changed: building again" out.txt)" 5 "a burst of 100 saves made more than one round"
assert_eq "$(( $(calls) - c3 ))" "$round" "the burst ran more than one round of cargo"

# The directory gone: a message, exit 1.
mv proj proj.gone
i=0
while kill -0 $pid 2>/dev/null; do
	i=$((i + 1)); [ $i -ge 100 ] && fail "build --watch went on without its directory"
	sleep 0.1
done
wait $pid
assert_eq "$?" 1 "exit status when the directory is gone"
assert_contains err.txt "watching stopped"
mv proj.gone proj

# ^C: exit 130.
"$CROSSBENCH" build -C proj --watch > out2.txt 2> err2.txt &
pid=$!
until_n out2.txt "watching [0-9]* director" 1
kill -INT $pid
wait $pid
assert_eq "$?" 130 "exit status after ^C"
exit 0
