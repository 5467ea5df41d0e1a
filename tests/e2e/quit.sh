# q while builds run asks first; c cancels them and quits; nothing is
# left running.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
. "$TESTLIB/tui-fixture.sh"
cat > scen/x86_64-unknown-linux-gnu <<'EOS'
sh -c 'echo $$ > "$FAKE_CARGO_DIR/child.pid"; exec sleep 300' &
sleep 300
EOS
open_bench
keys b
wait_row x86_64-unknown-linux-gnu "run "
keys q
wait_for "builds are running"
keys n
wait_gone "builds are running"
wait_row x86_64-unknown-linux-gnu "run "
keys q
wait_for "builds are running"
keys c
wait_for "[exited 0]"
pid=$(cat scen/child.pid)
i=0; while kill -0 "$pid" 2>/dev/null; do i=$((i + 1)); [ $i -gt 100 ] && fail "build child $pid outlived quit"; sleep 0.1; done
