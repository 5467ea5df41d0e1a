# A failing build, its diagnosis, f applies the fix to .crossbench and the
# rebuild passes.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
. "$TESTLIB/tui-fixture.sh"
open_bench
keys j j b
wait_for "wrong-linker-format"
wait_row aarch64-unknown-linux-gnu failed
wait_for "diagnosis 1/1: wrong-linker-format"
wait_for "fix (f): set linker = aarch64-linux-gnu-gcc for aarch64-unknown-linux-gnu"
snap failed
keys f
wait_for "set linker = aarch64-linux-gnu-gcc for aarch64-unknown-linux-gnu in .crossbench, then rebuild? [y/n]"
keys y
wait_for "passed"
wait_row aarch64-unknown-linux-gnu passed
assert_eq "$(git config -f proj/.crossbench --get target.aarch64-unknown-linux-gnu.linker)" \
	aarch64-linux-gnu-gcc "linker in .crossbench"
# The rebuild really ran with it.
assert_contains scen/calls.log "env: CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc"
wait_gone "diagnosis 1/1"
snap fixed
keys q
wait_for "[exited 0]"
