# The screen redraws on resize, stays usable at 80x24, legible at
# 40x12 and drawn without spilling rows at 20x6; t cycles themes and saves the choice in the user config; help
# comes from the key table.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
. "$TESTLIB/tui-fixture.sh"
open_bench
keys '?'
wait_for "Target matrix"
wait_for "enable or disable the target"
keys x
wait_gone "Target matrix"
tm resize-window -t t -x 80 -y 24
wait_for "aarch64-unknown-linux-gnu"
screen | head -n 1 | grep -q crossbench || fail "no header at 80x24"
tm resize-window -t t -x 40 -y 12
wait_for "x86_64-pc-windows-gnu"
snap 40x12
[ "$(screen | awk '{ if (length($0) > 40) print }' | wc -l)" = 0 ] || fail "lines wider than 40"
# 20x6: still drawn, keys still work, and no row spills onto the next.
tm resize-window -t t -x 20 -y 6
wait_for "x86_64-unknow"
keys b
sleep 1
snap 20x6
screen | head -n 1 | grep -q crossbench || fail "no header at 20x6"
screen | grep -q "^assed\|^ailed" && fail "a row wrapped at 20x6: $(screen)"
tm resize-window -t t -x 120 -y 40
wait_for "release"
keys t
wait_for "theme high-contrast"
assert_eq "$(git config -f xdg/crossbench/config --get crossbench.theme)" high-contrast
keys t
wait_for "theme light"
keys q
wait_for "[exited 0]"
# The saved theme is used next time.
tm kill-server
open_bench
wait_for "theme light"
keys q
wait_for "[exited 0]"
