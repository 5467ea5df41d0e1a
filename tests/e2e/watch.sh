# Watch mode in the workbench: w watches the project; saving a source file
# rebuilds the enabled targets and each log starts with the file; saves
# under target/ and under a git-ignored directory start nothing; an
# editor's write-then-rename is one save; deleting the project directory
# stops the watch with a message, and the workbench goes on.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
. "$TESTLIB/tui-fixture.sh"
mkdir -p proj/src proj/target proj/generated
echo 'fn main() {}' > proj/src/main.rs
printf 'target/\ngenerated/\n' > proj/.gitignore
git -C proj init -q
# Let every build take a moment, so a save can land while one runs.
for t in x86_64-unknown-linux-gnu x86_64-pc-windows-gnu; do
	printf 'sleep "${FAKE_SLEEP:-0}"\nartifact "$PWD/target/%s/debug/app"\nfinish true\n' $t > scen/$t
done
logs() { ls proj/target/crossbench/logs/*.log 2>/dev/null; }
calls() { grep -c "^argv:" scen/calls.log 2>/dev/null || echo 0; }
idle() { wait_re "jobs 0/[0-9]"; sleep 0.5; wait_re "jobs 0/[0-9]"; }
causes() { grep -h "^crossbench: started by a change to" $(logs) 2>/dev/null; }
open_bench
c0=$(calls)
keys w
wait_for "watching"
wait_re "watching [0-9]+ director(y|ies)"
snap watching
# A save: every enabled target builds again, each log naming the file.
echo '// saved' >> proj/src/main.rs
wait_for "src/main.rs changed: rebuilding"
wait_row x86_64-pc-windows-gnu passed
wait_row x86_64-unknown-linux-gnu passed
wait_row aarch64-unknown-linux-gnu failed
idle
round=$(( $(calls) - c0 ))
[ "$round" -ge 1 ] || fail "the save ran no cargo"
n=$(causes | grep -c "src/main.rs")
[ "$n" -ge 3 ] || fail "three logs should start with the save of src/main.rs, got $n: $(causes)"
for f in $(logs); do
	grep -q "started by a change" "$f" || continue
	head -n 1 "$f" | grep -q "^crossbench: started by a change to src/main.rs" ||
		fail "$f does not start with the file: $(head -n 2 "$f")"
done
# Not aarch64-apple-darwin: it is not enabled.
case $(causes) in *darwin*) fail "a disabled target was rebuilt" ;; esac
before=$(calls)

# target/ and a git-ignored directory never start a build; then an
# editor's save (write a temp file, rename it over the source) does, once.
echo x > proj/target/stamp
echo y > proj/generated/out.rs
sleep 1
assert_eq "$(calls)" "$before" "a save under target/ or generated/ started a build"
printf 'fn main() { }\n' > proj/src/.main.rs.swp
printf 'fn main() { }\n' > proj/src/main.rs.tmp
mv proj/src/main.rs.tmp proj/src/main.rs
wait_for "src/main.rs changed: rebuilding"
wait_row x86_64-unknown-linux-gnu passed
idle
sleep 0.5
assert_eq "$(( $(calls) - before ))" "$round" "one round of builds for the renamed save"
causes | grep -v "src/main.rs" && fail "a build was started by another file"

# The directory deleted: a message, the watch stops, the workbench lives.
mv proj proj.gone
wait_re "watch: .*proj was (deleted|moved or renamed); watching stopped"
snap stopped
screen | grep -q "watching  jobs" && fail "the header still says watching"
mv proj.gone proj
keys q
wait_for "[exited 0]"
