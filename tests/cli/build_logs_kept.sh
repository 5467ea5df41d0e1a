# Logs do not pile up: each target and profile keeps its newest 20 (with
# their .json), the newest is always the build that just ran, and other
# files in the directory are left alone.
. "$TESTLIB/common.sh"
. "$TESTLIB/build-fixture.sh"
add_target x86_64-pc-windows-gnu
mkdir -p proj/target/crossbench/logs
echo keep > proj/target/crossbench/logs/notes.txt
i=0
while [ $i -lt 25 ]; do
	"$CROSSBENCH" build -C proj --json > out.json || fail "build $i failed"
	i=$((i + 1))
done
n=$(ls proj/target/crossbench/logs/x86_64-pc-windows-gnu-dev-*.log | wc -l)
assert_eq "$n" 20 "logs kept"
assert_eq "$(ls proj/target/crossbench/logs/x86_64-pc-windows-gnu-dev-*.json | wc -l)" 20 "json kept"
last=$(json_get out.json 'j["results"][0]["log"]')
[ -f "$last" ] || fail "the newest log $last was removed"
[ -f proj/target/crossbench/logs/notes.txt ] || fail "a file that is not a log was removed"
