# smoke.sh - x in the workbench: the selected target's program started
# through its runner, its output in the log pane under "smoke run:", the
# result in the matrix, and a program that cannot start diagnosed like a
# failed build.  aarch64's program is a real one run by the real
# qemu-aarch64; the host's is linked (here, by gcc) to musl's loader,
# which this machine does not have.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
. "$TESTLIB/tui-fixture.sh"
command -v qemu-aarch64 > /dev/null || fail "qemu-aarch64 is missing (qemu-user): .ci/deps test installs it"
[ -e /lib/ld-musl-x86_64.so.1 ] && skip "this machine has musl's loader: the host program would start"
printf '#include <stdio.h>\nint main(void) { puts("never printed"); return 0; }\n' > noloader.c
gcc -o noloader noloader.c -Wl,--dynamic-linker=/lib/ld-musl-x86_64.so.1 || fail "gcc"
cat > scen/x86_64-unknown-linux-gnu <<EOS
artifact "\$CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/debug/app" hello-x86_64
cp "$TESTTMP/noloader" "\$CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/debug/app"
finish true
EOS
git config -f proj/.crossbench target.aarch64-unknown-linux-gnu.linker aarch64-linux-gnu-gcc
git config -f proj/.crossbench target.aarch64-unknown-linux-gnu.runner "qemu-aarch64 -L /usr/aarch64-linux-gnu"
open_bench

# Before any build there is nothing to start.
keys x
wait_for "has no passed build to run: build it first"
# The host's row: built, then x.  The kernel cannot find its loader.
keys b
wait_row x86_64-unknown-linux-gnu passed
keys x
wait_for "smoke run:"
wait_for "is not on this machine"
wait_row x86_64-unknown-linux-gnu "smoke: loader-missing"
snap host-smoke
keys Escape
wait_for "diagnosis 1/1: loader-missing"
wait_for "/lib/ld-musl-x86_64.so.1"
snap host-diagnosis

# aarch64: built, then x: qemu runs it and its output is in the pane.
keys j j b
wait_row aarch64-unknown-linux-gnu passed
keys x
wait_for "smoke run:"
wait_for "$ qemu-aarch64 -L /usr/aarch64-linux-gnu"
wait_for "smoke run passed: exited 0"
wait_row aarch64-unknown-linux-gnu "smoke: ran"
snap arm-smoke
# A passed smoke run is not a diagnosis: the host's is the one left.
keys Escape
wait_gone "diagnosis 1/1: loader-missing" 2 2>/dev/null || true
keys q
wait_for "[exited 0]"
