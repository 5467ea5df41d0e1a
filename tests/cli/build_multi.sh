# The default strategy, multi: targets whose commands differ only in
# --target and per-target variables are built by one cargo; each still
# gets its own result, log and artifacts; when the shared build fails,
# each target is built again alone so the failure is its own and the
# others pass; a target whose environment differs builds on its own at
# the same time, in a directory of its own.
. "$TESTLIB/common.sh"
. "$TESTLIB/build-fixture.sh"
add_target x86_64-unknown-linux-gnu
add_target x86_64-pc-windows-gnu
add_target aarch64-unknown-linux-gnu
printf '\tlinker = aarch64-linux-gnu-gcc\n' >> proj/.crossbench

"$CROSSBENCH" build -C proj --json > out.json
assert_eq "$?" 0 "exit status"
assert_eq "$(grep -c '^argv:' scen/calls.log)" 1 "one cargo for three targets"
assert_contains scen/calls.log "--target x86_64-unknown-linux-gnu --target x86_64-pc-windows-gnu --target aarch64-unknown-linux-gnu"
assert_contains scen/calls.log "env: CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc"
assert_contains scen/calls.log "env: CARGO_TARGET_DIR=$PWD/proj/target/crossbench/build/multi"
for t in x86_64-unknown-linux-gnu x86_64-pc-windows-gnu aarch64-unknown-linux-gnu; do
	assert_eq "$(json_get out.json "[r['status'] for r in j['results'] if r['target']=='$t'][0]")" passed "$t"
	# Each target gets the artifact under its own triple, checked for it.
	assert_eq "$(json_get out.json "[r['artifacts'] for r in j['results'] if r['target']=='$t'][0]")" \
		"[\"$PWD/proj/target/$t/debug/app\"]" "artifacts of $t"
	log=$(json_get out.json "[r['log'] for r in j['results'] if r['target']=='$t'][0]")
	case $log in "$PWD/proj/target/crossbench/logs/$t-dev-"*.log) ;; *) fail "log path $log" ;; esac
	assert_contains "$log" "built in one cargo with 3 targets"
	assert_contains "$log" "crossbench: passed, exit status 0"
	assert_eq "$(grep -c 'crossbench: passed' "$log")" 1 "one last line in the log of $t"
done
ls proj/target/crossbench/logs/multi-dev-*.log > /dev/null || fail "no log of the shared build"

# One target fails: the shared build fails, each target is built alone.
: > scen/calls.log
cat > scen/aarch64-unknown-linux-gnu <<'EOS'
message "error: linking with \`cc\` failed: exit status: 1"
finish false
exit 101
EOS
"$CROSSBENCH" build -C proj --json > fail.json
assert_eq "$?" 1 "exit status with one failure"
assert_eq "$(grep -c '^argv:' scen/calls.log)" 4 "the shared build, then three alone"
assert_eq "$(json_get fail.json "[r['status'] for r in j['results'] if r['target']=='aarch64-unknown-linux-gnu'][0]")" failed
assert_eq "$(json_get fail.json "[r['status'] for r in j['results'] if r['target']=='x86_64-pc-windows-gnu'][0]")" passed
assert_eq "$(json_get fail.json "[r['status'] for r in j['results'] if r['target']=='x86_64-unknown-linux-gnu'][0]")" passed
log=$(json_get fail.json "[r['log'] for r in j['results'] if r['target']=='aarch64-unknown-linux-gnu'][0]")
assert_contains "$log" "built alone: the shared build of 3 targets failed"
assert_contains "$log" "linking with \`cc\` failed"
rm scen/aarch64-unknown-linux-gnu

# A variable that only one target sets (not a per-target name) cannot be
# given to the others: that target builds alone, in its own directory,
# while the other two share a cargo.
: > scen/calls.log
printf '[target "x86_64-pc-windows-gnu"]\n\tenv = FAKE_ENV_WINAPI=1\n' >> proj/.crossbench
"$CROSSBENCH" build -C proj --json > env.json
assert_eq "$?" 0
assert_eq "$(grep -c '^argv:' scen/calls.log)" 2 "two cargos"
assert_contains scen/calls.log "--target x86_64-unknown-linux-gnu --target aarch64-unknown-linux-gnu"
assert_contains scen/calls.log "env: CARGO_TARGET_DIR=$PWD/proj/target/crossbench/build/x86_64-pc-windows-gnu"
assert_eq "$(grep -c 'FAKE_ENV_WINAPI' scen/calls.log)" 1 "the variable reached only its target's cargo"

# --strategy split: a cargo per target.
: > scen/calls.log
"$CROSSBENCH" build -C proj --strategy split --json > split.json
assert_eq "$?" 0
assert_eq "$(grep -c '^argv:' scen/calls.log)" 3 "three cargos"
