# A build that floods output: every line reaches the log, in order, and
# crossbench's memory does not hold it (the log is on disk).
. "$TESTLIB/common.sh"
. "$TESTLIB/build-fixture.sh"
add_target x86_64-pc-windows-gnu
add_target aarch64-unknown-linux-gnu
printf 'flood 200000\nfinish true\n' > scen/x86_64-pc-windows-gnu
printf 'flood 150000\nfinish true\n' > scen/aarch64-unknown-linux-gnu
# A cargo per target (split), so each log holds exactly its own lines.
"$CROSSBENCH" build -C proj --strategy split --json > out.json
assert_eq "$?" 0
for t in x86_64-pc-windows-gnu:200000 aarch64-unknown-linux-gnu:150000; do
	log=$(json_get out.json "[r['log'] for r in j['results'] if r['target']=='${t%%:*}'][0]")
	assert_eq "$(grep -c '^noise line' "$log")" "${t#*:}" "lines in the log of ${t%%:*}"
	last=$(( ${t#*:} - 1 ))
	assert_eq "$(grep '^noise line' "$log" | tail -n 1 | cut -d: -f1)" "noise line $last"
done
