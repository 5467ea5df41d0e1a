# Log panes: live output, search with n/N, fold and sideways scrolling,
# split view of two builds.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
. "$TESTLIB/tui-fixture.sh"
printf 'flood 5000\nsay "the end of the flood"\nfinish true\n' > scen/x86_64-unknown-linux-gnu
printf 'say "windows build"\nsay "%s"\nfinish true\n' \
	"$(printf 'x%.0s' $(seq 1 400))TAIL" > scen/x86_64-pc-windows-gnu
open_bench
keys b
wait_for "the end of the flood"
wait_for "passed"
# Enter focuses the log; search.
keys Enter / "noise line 1234:" Enter
wait_for "'noise line 1234:' at line"
screen | grep -q '^ *[0-9]* noise line 1234:' || fail "match not in view: $(screen)"
keys / "noise line 12" Enter n
wait_for "at line"
keys N
wait_for "at line"
# Back to the matrix; the windows log has a 400-character line.
keys Escape j b
wait_for "windows build"
keys Enter
wait_for "TAIL"             # folded: the end of the long line is visible
keys w
wait_for "scroll sideways"
wait_gone "TAIL"
for i in $(seq 1 50); do keys l; done
wait_for "TAIL"             # scrolled far enough right
keys w
# Split: the first log shows the selected target, s adds another pane.
keys Escape k s
wait_for "log: x86_64-unknown-linux-gnu"
keys j
wait_for "log: x86_64-pc-windows-gnu"
n=$(screen | grep -c ' log: ')
assert_eq "$n" 2 "log panes after s"
keys q
wait_for "[exited 0]"
