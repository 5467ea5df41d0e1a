# One model of the board: after a mixed `crossbench build --json` (one
# target passing, one failing, one making a binary for the wrong target),
# the workbench opened afterwards shows every target's status, artifact
# verdict and root cause as the JSON said them, the artifact check of the
# earlier session included.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
. "$TESTLIB/tui-fixture.sh"
# Windows "builds" an ELF for x86_64 Linux: the wrong binary.
linux_exe=$(awk '$2 == "x86_64-unknown-linux-gnu" && $1 !~ /\.(o|a|rlib|so|dll)$/ { print $1; exit }' \
	"$TOP/tests/fixtures/bin/TARGETS")
cat > scen/x86_64-pc-windows-gnu <<EOS
say "   Compiling app v0.1.0"
artifact "\$PWD/target/x86_64-pc-windows-gnu/debug/app.exe" "$linux_exe"
finish true
EOS
"$CROSSBENCH" build -C proj --json > out.json
json() { json_get out.json "[r['$2'] for r in j['results'] if r['target'] == '$1'][0]"; }
assert_eq "$(json x86_64-unknown-linux-gnu status)" passed
assert_eq "$(json x86_64-unknown-linux-gnu artifact)" ok
assert_eq "$(json x86_64-pc-windows-gnu status)" passed
assert_eq "$(json x86_64-pc-windows-gnu artifact)" mismatch
assert_eq "$(json aarch64-unknown-linux-gnu status)" failed
top=$(json_get out.json "[r['diagnoses'][0]['category'] for r in j['results'] if r['target'] == 'aarch64-unknown-linux-gnu'][0]")
problem=$(json x86_64-pc-windows-gnu artifact_problem)
[ -n "$top" ] && [ -n "$problem" ] || fail "no diagnosis or artifact problem in the JSON: $(cat out.json)"

# A new session: everything from the history and the logs on disk.
open_bench
row x86_64-unknown-linux-gnu | grep -q 'passed.* ok' || fail "host row: $(row x86_64-unknown-linux-gnu)"
row x86_64-pc-windows-gnu | grep -q passed || fail "windows row: $(row x86_64-pc-windows-gnu)"
# The verdict's own words, as far as the column shows them.
want=$(printf '%s' "$problem" | cut -c1-20)
row x86_64-pc-windows-gnu | grep -qF "$want" || fail "windows artifact verdict '$want' not shown: $(row x86_64-pc-windows-gnu)"
row aarch64-unknown-linux-gnu | grep -q failed || fail "aarch64 row: $(row aarch64-unknown-linux-gnu)"
row aarch64-unknown-linux-gnu | grep -qF "$top" || fail "aarch64 root cause '$top' not shown: $(row aarch64-unknown-linux-gnu)"
keys q
wait_for "[exited 0]"
