# signals.sh - SIGTERM, SIGHUP and SIGINT (twice: the first asks, as q
# does) sent to the workbench while a build runs (its child ignoring
# SIGTERM) end the build, the whole group, and give the terminal back as
# it was (stty settings compared).
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
. "$TESTLIB/tui-fixture.sh"
cat > scen/x86_64-unknown-linux-gnu <<'EOS'
sh -c 'trap "" TERM; echo $$ > "$FAKE_CARGO_DIR/child.pid"; while :; do sleep 1; done' &
sleep 300
EOS
for sig in TERM HUP INT; do
	rm -f scen/child.pid before.stty after.stty
	cat > run.sh <<EOS
stty -g > "$TESTTMP/before.stty"
env TERM=xterm-256color LANG=C.UTF-8 FAKE_CARGO_DIR="$FAKE_CARGO_DIR" \
	XDG_CONFIG_HOME="$XDG_CONFIG_HOME" HOME="$TESTTMP" "$CROSSBENCH" -C "$TESTTMP/proj"
echo "[gone \$?]"
stty -g > "$TESTTMP/after.stty"
EOS
	tui_start -- sh "$TESTTMP/run.sh"
	wait_for "aarch64-unknown-linux-gnu"
	keys b
	wait_row x86_64-unknown-linux-gnu "run "
	i=0; while [ ! -s scen/child.pid ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	child=$(cat scen/child.pid)
	cb=$(pgrep -f -x "$CROSSBENCH -C $TESTTMP/proj" | head -n 1)
	[ -n "$cb" ] || fail "SIG$sig: no workbench process"
	kill -$sig "$cb"
	# ^C asks first while builds run, as q does; a second one answers.
	if [ $sig = INT ]; then
		wait_for "or ^C again"
		kill -INT "$cb"
	fi
	wait_for "[gone" 20
	i=0; while kill -0 "$child" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 100 ] && fail "SIG$sig: the build's child $child outlived the workbench"
		sleep 0.1
	done
	i=0; while [ ! -s after.stty ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	cmp -s before.stty after.stty || fail "SIG$sig: the terminal was not restored: $(cat before.stty) vs $(cat after.stty)"
	tm kill-server
done
exit 0
