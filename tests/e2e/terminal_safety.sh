# terminal_safety.sh - a build that prints OSC 52 clipboard writes, OSC
# 0/2 titles, cursor moves and a screen clear, DCS, a bare ESC (a reset),
# C1 controls (as UTF-8 and as raw bytes), bidi overrides and invalid
# UTF-8: what crossbench writes to a terminal (captured byte for byte
# with script(1) on a pty: build, diagnose, and the workbench with the
# log and diagnosis panes open) holds none of it, and shows it as
# visible text.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
. "$TESTLIB/tui-fixture.sh"
evil='error: evil \033]52;c;aGVsbG8=\007 title \033]0;pwned\007 \033]2;pwned2\033\\ move \033[2J\033[10;10H dcs \033P1$r0m\033\\ bare \033c C1 \302\233 \302\235 raw \233\235 bidi \342\200\256 \342\201\246 bad \377\376 \300\200 end'
cat > scen/x86_64-unknown-linux-gnu <<EOS
say "\$(printf '$evil')"
message "\$(printf '$evil')"
finish false
exit 101
EOS
check() { python3 "$TESTLIB/termcheck.py" "$@" || fail "$(cat "$1" | head -c 3000)"; }

# The CLI, on a terminal.
script -q -e -c "$CROSSBENCH build -C proj -t x86_64-unknown-linux-gnu" build.ts > /dev/null
check build.ts --cli --want '\u202E' --want 'evil'
log=$(ls proj/target/crossbench/logs/x86_64-unknown-linux-gnu-dev-*.log | head -n 1)
script -q -e -c "$CROSSBENCH diagnose $log" diag.ts > /dev/null
check diag.ts --cli --want '\u202E' --want '\xFF'

# The workbench: the matrix, the log pane on the build, the diagnosis.
cat > run.sh <<EOS
exec env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 FAKE_CARGO_DIR="$FAKE_CARGO_DIR" \
	XDG_CONFIG_HOME="$XDG_CONFIG_HOME" HOME="$TESTTMP" \
	script -q -f -c "'$CROSSBENCH' -C '$TESTTMP/proj'" "$TESTTMP/tui.ts"
EOS
tui_start -- sh "$TESTTMP/run.sh"
wait_for "aarch64-unknown-linux-gnu"
keys b
wait_row x86_64-unknown-linux-gnu "failed"
wait_for "evil"
keys Enter
sleep 0.5
keys Tab
sleep 0.5
keys q
wait_for "[exited"
check tui.ts --want 'evil'
exit 0
