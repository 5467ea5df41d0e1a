# Eight builds flooding output at once: the screen keeps answering keys,
# and every line still reaches the logs.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
. "$TESTLIB/tui-fixture.sh"
for t in i686-unknown-linux-gnu armv7-unknown-linux-gnueabihf riscv64gc-unknown-linux-gnu \
	 powerpc64le-unknown-linux-gnu s390x-unknown-linux-gnu x86_64-unknown-linux-musl; do
	add_target $t
done
for t in i686-unknown-linux-gnu armv7-unknown-linux-gnueabihf riscv64gc-unknown-linux-gnu \
	 powerpc64le-unknown-linux-gnu s390x-unknown-linux-gnu x86_64-unknown-linux-musl \
	 x86_64-unknown-linux-gnu x86_64-pc-windows-gnu; do
	printf 'flood 60000\nsay "flood done"\nfinish true\n' > scen/$t
done
git config -f proj/.crossbench target.aarch64-unknown-linux-gnu.enabled false
git config -f proj/.crossbench crossbench.jobs 8
# Eight cargos (split), so each log holds exactly its own lines.
git config -f proj/.crossbench crossbench.strategy split
open_bench
wait_for "jobs 0/8"
keys B
wait_for "jobs 8/8"
# While all eight flood: help opens and closes, the selection moves.
keys '?'
wait_for "Target matrix" 10
keys x
wait_gone "Target matrix" 10
keys j
wait_for "log: x86_64-pc-windows-gnu" 10
# Every build done: nothing running, each row passed.
wait_for "jobs 0/8" 120
for t in i686-unknown-linux-gnu armv7-unknown-linux-gnueabihf riscv64gc-unknown-linux-gnu \
	 powerpc64le-unknown-linux-gnu s390x-unknown-linux-gnu x86_64-unknown-linux-musl \
	 x86_64-unknown-linux-gnu x86_64-pc-windows-gnu; do
	wait_row $t passed 120
done
for log in proj/target/crossbench/logs/*.log; do
	assert_eq "$(grep -c '^noise line' "$log")" 60000 "lines in $log"
done
keys q
wait_for "[exited 0]"
