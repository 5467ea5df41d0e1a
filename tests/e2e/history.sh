# Results outlive the session: reopened, the workbench shows each
# target's last result from the history, its log from disk, and the
# diagnosis of that log.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
. "$TESTLIB/tui-fixture.sh"
open_bench
keys B
wait_row aarch64-unknown-linux-gnu failed
wait_row x86_64-unknown-linux-gnu passed
wait_row x86_64-pc-windows-gnu passed
keys q
wait_for "[exited 0]"
[ -s proj/target/crossbench/history.tsv ] || fail "no history written"
open_bench
row x86_64-unknown-linux-gnu | grep -q passed || fail "history lost: $(row x86_64-unknown-linux-gnu)"
row aarch64-unknown-linux-gnu | grep -q failed || fail "history lost: $(row aarch64-unknown-linux-gnu)"
row aarch64-unknown-linux-gnu | grep -q wrong-linker-format || fail "no diagnosis from the log on disk"
keys j j
wait_for "log: aarch64-unknown-linux-gnu"
wait_for "error adding symbols"
wait_for "diagnosis 1/1: wrong-linker-format"
keys q
wait_for "[exited 0]"
