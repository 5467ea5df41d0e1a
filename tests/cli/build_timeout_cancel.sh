# A hanging build is stopped by the timeout, the whole process group with
# it; SIGINT cancels everything and leaves no process behind.
. "$TESTLIB/common.sh"
. "$TESTLIB/build-fixture.sh"
# A killed process can take a moment to disappear on a loaded machine:
# wait for it, up to 10 s, rather than guess a delay.
gone() {
	i=0
	while kill -0 "$1" 2>/dev/null; do
		[ $i -ge 100 ] && return 1
		sleep 0.1; i=$((i + 1))
	done
}
add_target x86_64-pc-windows-gnu
add_target aarch64-unknown-linux-gnu
# The hang: cargo starts a "rustc" child that would outlive it.
cat > scen/aarch64-unknown-linux-gnu <<'EOS'
say "   Compiling app v0.1.0"
sh -c 'echo $$ > "$FAKE_CARGO_DIR/child.pid"; exec sleep 300' &
sleep 300
EOS
"$CROSSBENCH" build -C proj --timeout 1 --json > out.json
assert_eq "$?" 1
assert_eq "$(json_get out.json "[r['status'] for r in j['results'] if r['target']=='aarch64-unknown-linux-gnu'][0]")" timeout
assert_eq "$(json_get out.json "[r['status'] for r in j['results'] if r['target']=='x86_64-pc-windows-gnu'][0]")" passed
log=$(json_get out.json "[r['log'] for r in j['results'] if r['target']=='aarch64-unknown-linux-gnu'][0]")
assert_contains "$log" "timeout"
gone "$(cat scen/child.pid)" || fail "the build's child outlived the timeout"

# SIGINT: both builds hang; crossbench cancels them and exits 130.
cp scen/aarch64-unknown-linux-gnu scen/x86_64-pc-windows-gnu
rm -f scen/child.pid
"$CROSSBENCH" build -C proj --json > int.json &
cb=$!
i=0; while [ ! -s scen/child.pid ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -INT $cb
wait $cb
assert_eq "$?" 130 "exit status after SIGINT"
assert_eq "$(json_get int.json '[r["status"] for r in j["results"]]')" '["cancelled", "cancelled"]'
gone "$(cat scen/child.pid)" || fail "a build child outlived the cancel"
