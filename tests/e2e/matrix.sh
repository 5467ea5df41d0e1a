# The matrix: every target a row, space toggles (saved), a adds a target
# from rustc's list filtering as you type, d removes one.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
. "$TESTLIB/tui-fixture.sh"
# The picker lists the targets of the rustc the builds use: a fake one.
mkdir -p bin
printf '#!/bin/sh\nprintf "x86_64-unknown-linux-gnu\\nriscv64gc-unknown-linux-gnu\\nriscv64gc-unknown-linux-musl\\nwasm32-unknown-unknown\\n"\n' > bin/rustc
chmod +x bin/rustc
printf '[target]\n\trustc = %s/bin/rustc\n' "$PWD" >> proj/.crossbench
open_bench
snap open
row x86_64-pc-windows-gnu | grep -qF '[x]' || fail "windows should be enabled: $(row x86_64-pc-windows-gnu)"
row aarch64-apple-darwin | grep -qF '[ ]' || fail "darwin should be disabled"

# Toggle the first row (x86_64-unknown-linux-gnu) off: saved in .crossbench.
keys Space
wait_for "x86_64-unknown-linux-gnu disabled"
row x86_64-unknown-linux-gnu | grep -qF '[ ]' || fail "not toggled: $(row x86_64-unknown-linux-gnu)"
git config -f proj/.crossbench --get target.x86_64-unknown-linux-gnu.enabled | grep -qx false ||
	fail ".crossbench does not say enabled = false"
keys Space
wait_for "x86_64-unknown-linux-gnu enabled"

# Add: the picker filters as you type; what is configured is not offered.
keys a
wait_for "add a target"
screen | grep -q 'riscv64gc-unknown-linux-musl' || fail "picker lacks riscv64 musl"
keys r i s c v " " m u s l
wait_for "1 of 3"
keys Enter
wait_for "riscv64gc-unknown-linux-musl added"
row riscv64gc-unknown-linux-musl | grep -qF '[x]' || fail "added row: $(screen)"
git config -f proj/.crossbench --get target.riscv64gc-unknown-linux-musl.enabled | grep -qx true ||
	fail "added target not in .crossbench"

# Remove it again.
keys d
wait_for "remove riscv64gc-unknown-linux-musl"
keys y
wait_for "removed from .crossbench"
! grep -q riscv64gc proj/.crossbench || fail ".crossbench still names riscv64gc"
keys q
wait_for "[exited 0]"
