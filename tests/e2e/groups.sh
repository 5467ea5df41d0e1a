# groups.sh - one cause in several targets, on screen: the matrix gives
# the targets that miss the same library one group number, and the
# diagnosis pane says "the same cause in 2 targets" with the other
# target's own fix.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
. "$TESTLIB/tui-fixture.sh"
missing() { # TARGET LD
	cat > "scen/$1" <<EOS
message "\$(printf 'error: linking with \`cc\` failed: exit status: 1\n  = note: $2: cannot find -lz: No such file or directory')"
finish false
exit 101
EOS
}
missing aarch64-unknown-linux-gnu /usr/bin/aarch64-linux-gnu-ld
missing x86_64-pc-windows-gnu /usr/bin/x86_64-w64-mingw32-ld
open_bench
keys B
wait_row aarch64-unknown-linux-gnu "\[1\] target-library-mis"
wait_row x86_64-pc-windows-gnu "\[1\] target-library-mis"
wait_row x86_64-unknown-linux-gnu passed
row x86_64-unknown-linux-gnu | grep -q '\[1\]' && fail "a passed target in the group"
keys j j
wait_for "the same cause in 2 targets"
wait_for "also x86_64-pc-windows-gnu: "
snap group
keys q
wait_for "[exited 0]"
