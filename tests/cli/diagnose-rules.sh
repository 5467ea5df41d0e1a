# diagnose-rules.sh - user and project rules load after the shipped ones;
# a bad rule is reported with file and line and the others still work.
. "$TESTLIB/common.sh"
export XDG_CONFIG_HOME=$PWD/config
mkdir -p config/crossbench/rules project/.crossbench-rules
cat > config/crossbench/rules/mine.rules <<'R'
[rule "company-proxy"]
	category = other
	rank = 95
	match = proxy says no to (?<host>\S+)
	summary = The proxy blocked {host}.
	fix = text Ask IT to allow {host}.
R
cat > project/.crossbench-rules/broken.rules <<'R'
[rule "broken"]
	category = other
	match = (unclosed
	summary = x
R
printf 'error: proxy says no to index.crates.io\nerror: linker `x86_64-w64-mingw32-gcc` not found\n' > log
cd project
"$CROSSBENCH" diagnose --json ../log > ../out.json 2> ../err.txt
assert_eq "$?" 0 "exit status"
cd ..
assert_contains err.txt "broken.rules:3:"
assert_contains err.txt "offset"
assert_eq "$(json_get out.json 'j["diagnoses"][0]["rule"]')" "company-proxy"
assert_eq "$(json_get out.json 'j["diagnoses"][0]["fixes"][0]["text"]')" "Ask IT to allow index.crates.io."
assert_eq "$(json_get out.json 'j["diagnoses"][1]["category"]')" "linker-not-found"
