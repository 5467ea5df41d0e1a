# trust.sh - the workbench in a fresh clone whose .crossbench names a
# linker that leaves a mark: nothing runs (no doctor probe, no build)
# until the user allows it; the question shows what the file sets; a save
# made in the workbench keeps an allowed project allowed; a change made
# elsewhere asks again.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
. "$TESTLIB/tui-fixture.sh"
unset CROSSBENCH_TRUST
export XDG_DATA_HOME="$TESTTMP/data"
BENCH_ENV="XDG_DATA_HOME=$XDG_DATA_HOME"
cat > evil.sh <<EOS
#!/bin/sh
touch "$PWD/ran"
echo aarch64-linux-gnu
EOS
chmod +x evil.sh
git config -f proj/.crossbench target.aarch64-unknown-linux-gnu.linker "$PWD/evil.sh"
# As a clone: the project is a git repository with the file committed.
(cd proj && git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm clone)

open_bench
wait_for "not allowed yet"
wait_for "linker = $PWD/evil.sh"
snap question
sleep 1
[ -e ran ] && fail "the linker ran before the project was allowed"

# Look only: the matrix is there, and b and B build nothing.
keys v
wait_for "looking only"
row aarch64-unknown-linux-gnu | grep -q "allow? A" || fail "tools column: $(screen)"
keys b
wait_for "not built"
keys B
sleep 1
[ -e scen/calls.log ] && fail "a build ran before the project was allowed"
[ -e ran ] && fail "the linker ran before the project was allowed"

# A asks again; a allows: the doctor checks (and runs the linker).
keys A
wait_for "not allowed yet"
keys a
wait_for "allowed $TESTTMP/proj/.crossbench"
i=0; while [ ! -e ran ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -e ran ] || fail "allowed, but the doctor never checked the linker"
keys b
i=0; while [ ! -e scen/calls.log ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -e scen/calls.log ] || fail "allowed, but b built nothing"
wait_row x86_64-unknown-linux-gnu "passed"

# space saves .crossbench: the user's own change stays allowed.
keys G space
wait_for "saved in .crossbench"
keys q
wait_for "[exited 0]"
"$CROSSBENCH" build -C proj -t x86_64-unknown-linux-gnu > out.txt 2> err.txt
[ $? = 3 ] && fail "a save in the workbench made the project ask again: $(cat err.txt)"

# A change from elsewhere (a pull) asks again.
git config -f proj/.crossbench target.x86_64-unknown-linux-gnu.runner "$PWD/evil.sh"
rm -f ran
open_bench
wait_for "changed since allowed"
wait_for "runner = $PWD/evil.sh"
keys v
sleep 1
[ -e ran ] && fail "the changed file's programs ran before it was allowed again"
keys q
wait_for "[exited 0]"
exit 0
