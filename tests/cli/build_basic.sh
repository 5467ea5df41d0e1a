# Two targets pass: exit 0, JSON names both, artifacts come from cargo's
# compiler-artifact messages (dependencies' libraries are not artifacts),
# each has its own log holding what cargo printed.
. "$TESTLIB/common.sh"
. "$TESTLIB/build-fixture.sh"
add_target x86_64-pc-windows-gnu
add_target aarch64-unknown-linux-gnu
add_target riscv64gc-unknown-linux-gnu false

"$CROSSBENCH" build -C proj --json > out.json 2> err.txt
assert_eq "$?" 0 "exit status"
assert_eq "$(json_get out.json 'len(j["results"])')" 2 "results (the disabled target is not built)"
assert_eq "$(json_get out.json 'sorted(r["target"] for r in j["results"])')" \
	'["aarch64-unknown-linux-gnu", "x86_64-pc-windows-gnu"]'
assert_eq "$(json_get out.json '[r["status"] for r in j["results"]]')" '["passed", "passed"]'
assert_eq "$(json_get out.json 'j["results"][0]["exit_code"]')" 0
assert_eq "$(json_get out.json 'j["project"]')" "$PWD/proj"
for t in x86_64-pc-windows-gnu aarch64-unknown-linux-gnu; do
	assert_eq "$(json_get out.json "[r['artifacts'] for r in j['results'] if r['target']=='$t'][0]")" \
		"[\"$PWD/proj/target/$t/debug/app\"]" "artifacts of $t"
	log=$(json_get out.json "[r['log'] for r in j['results'] if r['target']=='$t'][0]")
	case $log in "$PWD/proj/target/crossbench/logs/$t-dev-"*.log) ;; *) fail "log path $log" ;; esac
	assert_contains "$log" "Compiling app v0.1.0"
	assert_contains "$log" "--target $t"
	[ -f "${log%.log}.json" ] || fail "no raw JSON beside $log"
	assert_contains "${log%.log}.json" '"reason":"build-finished"'
done
# --all builds the disabled one too.
"$CROSSBENCH" build -C proj --all --json > all.json
assert_eq "$(json_get all.json 'len(j["results"])')" 3 "--all"
# --target builds only what is named, configured or not.
"$CROSSBENCH" build -C proj --target wasm32-unknown-unknown --json > one.json
assert_eq "$(json_get one.json '[r["target"] for r in j["results"]]')" '["wasm32-unknown-unknown"]'
# Without --json, a summary table on stdout.
"$CROSSBENCH" build -C proj > table.txt
assert_contains table.txt "x86_64-pc-windows-gnu"
assert_contains table.txt "passed"
