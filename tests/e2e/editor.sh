# The settings editor: every key, a tool not on PATH flagged as you type,
# Tab completes from PATH, ^S saves where you choose, Esc discards.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
. "$TESTLIB/tui-fixture.sh"
open_bench
keys j j e
wait_for "settings: aarch64-unknown-linux-gnu"
for k in enabled cargo rustc toolchain cc cxx ar linker rustflags cflags libpath env runner profile features target-dir floor glibc-max timeout smoke smoke-timeout; do
	screen | grep -q " $k " || fail "editor has no field $k"
done
# Down to linker (the 8th field), type a program that does not exist.
keys Down Down Down Down Down Down Down
keys n o - s u c h - g c c
wait_for "no-such-gcc is not on PATH"
keys C-u a a r c h 6 4 - l i n u x - g n u - g c
keys Tab
wait_for "aarch64-linux-gnu-gcc"
keys Down Down Down Down Down Down Down Down Down Down Down
keys C-u 1 0 x         # timeout: bad
wait_for "is not a duration"
keys C-u 1 0 m
keys C-s
wait_for "[p] the project's .crossbench or [u] your user config"
keys p
wait_for "saved to $TESTTMP/proj/.crossbench"
linker=$(git config -f proj/.crossbench --get target.aarch64-unknown-linux-gnu.linker)
case $linker in aarch64-linux-gnu-gc*) ;; *) fail "linker saved as '$linker'" ;; esac
assert_eq "$(git config -f proj/.crossbench --get target.aarch64-unknown-linux-gnu.timeout)" 10m
# Esc discards.
keys e
wait_for "settings: aarch64-unknown-linux-gnu"
keys Down Down C-u x y z Escape
wait_for "changes discarded"
! grep -q xyz proj/.crossbench || fail "Esc saved anyway"
keys q
wait_for "[exited 0]"
