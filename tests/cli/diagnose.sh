# diagnose.sh - `crossbench diagnose` on fixture logs: text, JSON, stdin,
# exit statuses.
. "$TESTLIB/common.sh"
L=$TOP/tests/fixtures/logs

# Text: evidence line with its number, summary, explanation and fixes.
"$CROSSBENCH" diagnose --pm apt "$L/c0-aarch64-pure-default-linker.log" > out.txt 2> err.txt
assert_eq "$?" 0 "exit status"
assert_contains out.txt "target: aarch64-unknown-linux-gnu (from the log)"
assert_contains out.txt "1. wrong-linker-format"
assert_contains out.txt "line 5: "
assert_contains out.txt "Relocations in generic ELF (EM: 183)"
assert_contains out.txt "fix (set): set linker = aarch64-linux-gnu-gcc for aarch64-unknown-linux-gnu"
assert_contains out.txt "install gcc-aarch64-linux-gnu"
assert_eq "$(cat err.txt)" "" "stderr"

# JSON, exactly the issue's shape.
"$CROSSBENCH" diagnose --json --pm apt "$L/a-win-ring-no-mingw.log" > out.json
assert_eq "$?" 0 "exit status (json)"
assert_eq "$(json_get out.json 'j["target"]')" "x86_64-pc-windows-gnu" "target"
assert_eq "$(json_get out.json 'j["diagnoses"][0]["category"]')" "missing-c-compiler" "category"
assert_eq "$(json_get out.json 'sorted(j["diagnoses"][0].keys())')" \
	'["category", "evidence", "explanation", "fixes", "line", "rule", "subject", "summary"]' "keys"
assert_eq "$(json_get out.json '[f for f in j["diagnoses"][0]["fixes"] if f["kind"]=="install"][0]')" \
	'{"kind": "install", "manager": "apt", "packages": ["gcc-mingw-w64-x86-64"]}' "install fix"
# every fix has exactly the keys of its kind
json_get out.json 'all(sorted(f.keys()) == {"set":["key","kind","target","value"],"install":["kind","manager","packages"],"run":["argv","kind"],"text":["kind","text"]}[f["kind"]] for d in j["diagnoses"] for f in d["fixes"])' > shapes
assert_eq "$(cat shapes)" "True" "fix shapes"

# --target for a log that names none; stdin as '-'.
printf 'error: linker `cc` failed\n  = note: ld: x.o: Relocations in generic ELF (EM: 183)\n' > bare.log
"$CROSSBENCH" diagnose --json --target aarch64-unknown-linux-gnu - < bare.log > bare.json
assert_eq "$(json_get bare.json 'j["target"]')" "aarch64-unknown-linux-gnu"
assert_eq "$(json_get bare.json '[f["value"] for f in j["diagnoses"][0]["fixes"] if f["kind"]=="set"][0]')" \
	"aarch64-linux-gnu-gcc" "set fix with --target"
"$CROSSBENCH" diagnose --json - < bare.log > bare2.json
assert_eq "$(json_get bare2.json 'j["target"]')" "None" "no target"

# A clean build: read fine, nothing found, exit 0.
"$CROSSBENCH" diagnose "$L/ok-win-ring.log" > ok.txt
assert_eq "$?" 0 "exit status (clean log)"
assert_contains ok.txt "no known problem"
"$CROSSBENCH" diagnose --json "$L/ok-win-ring.log" > ok.json
assert_eq "$(json_get ok.json 'j["diagnoses"]')" "[]"

# Usage errors and unreadable input: 2, and the message names the file.
"$CROSSBENCH" diagnose 2> e1; assert_eq "$?" 2 "no file"
"$CROSSBENCH" diagnose a b 2> e1; assert_eq "$?" 2 "two files"
"$CROSSBENCH" diagnose --bogus x 2> e1; assert_eq "$?" 2 "bad option"
"$CROSSBENCH" diagnose --target 'not a triple' bare.log 2> e1; assert_eq "$?" 2 "bad target"
"$CROSSBENCH" diagnose ./no-such.log 2> e2; assert_eq "$?" 2 "missing file"
assert_contains e2 "no-such.log"
mkdir adir
"$CROSSBENCH" diagnose adir 2> e3; assert_eq "$?" 2 "directory"
assert_contains e3 "adir"
"$CROSSBENCH" diagnose --help > h.txt; assert_eq "$?" 0 "--help"
assert_contains h.txt "usage: crossbench diagnose"
