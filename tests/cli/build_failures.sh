# A failing build exits non-zero, its log is kept and named; the other
# target still passes; cargo that cannot be executed is reported as such.
. "$TESTLIB/common.sh"
. "$TESTLIB/build-fixture.sh"
add_target x86_64-pc-windows-gnu
add_target aarch64-unknown-linux-gnu
cat > scen/aarch64-unknown-linux-gnu <<'EOS'
say "   Compiling app v0.1.0"
message "error: linking with \`cc\` failed: exit status: 1"
say "error: could not compile \`app\` due to previous error"
finish false
exit 101
EOS
"$CROSSBENCH" build -C proj --json > out.json
assert_eq "$?" 1 "exit status with one failure"
assert_eq "$(json_get out.json "[r['status'] for r in j['results'] if r['target']=='aarch64-unknown-linux-gnu'][0]")" failed
assert_eq "$(json_get out.json "[r['exit_code'] for r in j['results'] if r['target']=='aarch64-unknown-linux-gnu'][0]")" 101
assert_eq "$(json_get out.json "[r['status'] for r in j['results'] if r['target']=='x86_64-pc-windows-gnu'][0]")" passed
log=$(json_get out.json "[r['log'] for r in j['results'] if r['target']=='aarch64-unknown-linux-gnu'][0]")
# The rendered compiler message reaches the human log, as plain cargo shows it.
assert_contains "$log" "error: linking with \`cc\` failed: exit status: 1"
assert_contains "$log" "could not compile"
assert_eq "$(json_get out.json "[r['artifacts'] for r in j['results'] if r['target']=='aarch64-unknown-linux-gnu'][0]")" "[]"

# A build that passes but makes a binary for another machine is caught:
# the check says so, the JSON says artifacts_ok false, the exit status is 1.
printf 'artifact "$PWD/target/aarch64-unknown-linux-gnu/debug/app" hello-x86_64\nfinish true\n' \
	> scen/aarch64-unknown-linux-gnu
"$CROSSBENCH" build -C proj --json > wrong.json
assert_eq "$?" 1 "exit status when an artifact is for the wrong machine"
q="[r for r in j['results'] if r['target']=='aarch64-unknown-linux-gnu'][0]"
assert_eq "$(json_get wrong.json "$q['status']")" passed
assert_eq "$(json_get wrong.json "$q['artifacts_ok']")" False
assert_contains "$(json_get wrong.json "$q['artifact_checks'][0]['problems']")" "mismatch: machine is x86_64"
assert_eq "$(json_get wrong.json "[r['artifacts_ok'] for r in j['results'] if r['target']=='x86_64-pc-windows-gnu'][0]")" True
"$CROSSBENCH" build -C proj > wrong.txt
assert_contains wrong.txt "(does not fit the target)"
assert_contains wrong.txt "PE32+ x86_64"

# cargo missing: "not found", not a silent 127.
printf '[target]\n\tcargo = no-such-cargo-here\n[target "x86_64-pc-windows-gnu"]\n' > proj/.crossbench
"$CROSSBENCH" build -C proj --json > nf.json
assert_eq "$?" 1
assert_eq "$(json_get nf.json 'j["results"][0]["error"]')" "no-such-cargo-here: not found"
log=$(json_get nf.json 'j["results"][0]["log"]')
assert_contains "$log" "no-such-cargo-here: not found"
"$CROSSBENCH" build -C proj > nf.txt
assert_contains nf.txt "no-such-cargo-here: not found"
