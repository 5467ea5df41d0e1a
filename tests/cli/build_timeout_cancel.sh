# A hanging build is stopped by the timeout, the whole process group with
# it; SIGINT cancels everything and leaves no process behind.
. "$TESTLIB/common.sh"
. "$TESTLIB/build-fixture.sh"
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
pid=$(cat scen/child.pid)
sleep 0.2
! kill -0 "$pid" 2>/dev/null || fail "the build's child $pid outlived the timeout"

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
sleep 0.2
! kill -0 "$(cat scen/child.pid)" 2>/dev/null || fail "a build child outlived the cancel"
