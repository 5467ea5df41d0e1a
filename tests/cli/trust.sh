# trust.sh - a project's own settings run nothing until the user allows
# them: build and doctor refuse (exit 3) naming the file and what it sets,
# and run nothing; allow records the hash in the user's data directory;
# any change asks again; --trust is for one run and records nothing;
# deny takes it back; CROSSBENCH_TRUST trusts a directory tree; the
# project's rules are not used by diagnose until allowed.
. "$TESTLIB/common.sh"
. "$TESTLIB/build-fixture.sh"
unset CROSSBENCH_TRUST
export XDG_DATA_HOME="$PWD/data"
store=$XDG_DATA_HOME/crossbench/trust
add_target x86_64-unknown-linux-gnu
# A linker that leaves a mark when anything runs it (the doctor asks it
# -dumpmachine); the fake cargo logs every run to scen/calls.log.
cat > evil.sh <<EOS
#!/bin/sh
touch "$PWD/ran"
echo x86_64-linux-gnu
EOS
chmod +x evil.sh
git config -f proj/.crossbench target.x86_64-unknown-linux-gnu.linker "$PWD/evil.sh"
git config -f proj/.crossbench --add target.x86_64-unknown-linux-gnu.env 'SECRET=$(reboot)'

"$CROSSBENCH" build -C proj > out.txt 2> err.txt
assert_eq "$?" 3 "build of a project never allowed"
assert_contains err.txt "$PWD/proj/.crossbench is new to crossbench"
assert_contains err.txt "program  x86_64-unknown-linux-gnu  linker = $PWD/evil.sh"
assert_contains err.txt "program  x86_64-unknown-linux-gnu  cargo = $TOP/tests/lib/fake-cargo"
assert_contains err.txt 'env      x86_64-unknown-linux-gnu  env = SECRET=$(reboot)'
assert_contains err.txt "crossbench allow"
[ -e scen/calls.log ] && fail "cargo ran before the settings were allowed"
"$CROSSBENCH" doctor -C proj > out.txt 2> err.txt
assert_eq "$?" 3 "doctor of a project never allowed"
[ -e ran ] && fail "the doctor ran the project's linker before it was allowed"
[ -e "$store" ] && fail "a refusal wrote the trust store"

# --trust: this run only, nothing recorded.  The global form too.
"$CROSSBENCH" build -C proj --trust > out.txt 2> err.txt
assert_eq "$?" 0 "build --trust"
[ -e scen/calls.log ] || fail "build --trust did not run cargo"
[ -e "$store" ] && fail "--trust recorded trust"
rm -f scen/calls.log
"$CROSSBENCH" -C proj --trust doctor > out.txt 2> err.txt
[ -e ran ] || fail "crossbench --trust doctor did not check the linker: $(cat err.txt)"
rm -f ran
"$CROSSBENCH" build -C proj > out.txt 2> err.txt
assert_eq "$?" 3 "build after a --trust run (nothing was recorded)"

# allow: recorded outside the project; then builds run.
ls -A proj > before.txt
"$CROSSBENCH" allow -C proj > out.txt 2> err.txt
assert_eq "$?" 0 "allow"
assert_contains out.txt "allowed $PWD/proj"
assert_contains out.txt "linker = $PWD/evil.sh"
assert_contains "$store" " $PWD/proj"
ls -A proj > after.txt
cmp -s before.txt after.txt || fail "allow wrote into the project: $(diff before.txt after.txt)"
"$CROSSBENCH" build -C proj > out.txt 2> err.txt
assert_eq "$?" 0 "build once allowed"
[ -e scen/calls.log ] || fail "cargo did not run once allowed"
rm -f scen/calls.log

# Any change asks again: a setting, a comment, a rules file.
printf '# a comment\n' >> proj/.crossbench
"$CROSSBENCH" build -C proj > out.txt 2> err.txt
assert_eq "$?" 3 "build after .crossbench changed"
assert_contains err.txt "changed since you allowed it"
"$CROSSBENCH" allow -C proj > /dev/null
mkdir proj/.crossbench-rules
cat > proj/.crossbench-rules/mine.rules <<'R'
[rule "project-proxy"]
	category = other
	rank = 95
	match = proxy says no to (?<host>\S+)
	summary = The proxy blocked {host}.
	fix = set linker /tmp/evil
R
"$CROSSBENCH" build -C proj > out.txt 2> err.txt
assert_eq "$?" 3 "build after a rules file was added"
assert_contains err.txt "rules    .crossbench-rules/mine.rules"
[ -e scen/calls.log ] && fail "cargo ran after the rules changed"

# diagnose reads the project's rules only once they are allowed.
printf 'error: proxy says no to index.crates.io\n' > log
(cd proj && "$CROSSBENCH" diagnose --json ../log > ../d.json 2> ../err.txt)
assert_contains err.txt "not using ./.crossbench-rules/"
assert_not_contains d.json "project-proxy"
"$CROSSBENCH" allow -C proj > /dev/null
(cd proj && "$CROSSBENCH" diagnose --json ../log > ../d.json 2> ../err.txt)
assert_contains d.json "project-proxy"
assert_not_contains err.txt "not using"

# deny: back to asking.
"$CROSSBENCH" deny -C proj > out.txt
assert_contains out.txt "no longer allowed"
"$CROSSBENCH" build -C proj > out.txt 2> err.txt
assert_eq "$?" 3 "build after deny"
assert_not_contains "$store" " $PWD/proj"

# CROSSBENCH_TRUST: a directory and everything under it, not a sibling
# whose name merely starts the same.
mkdir -p projx
CROSSBENCH_TRUST="$PWD/pro" "$CROSSBENCH" build -C proj > out.txt 2> err.txt
assert_eq "$?" 3 "CROSSBENCH_TRUST of a sibling prefix"
CROSSBENCH_TRUST="/nonexistent:$PWD" "$CROSSBENCH" build -C proj > out.txt 2> err.txt
assert_eq "$?" 0 "CROSSBENCH_TRUST of a parent"

# A project that ships no settings has nothing to allow and builds.
mkdir bare
printf '[package]\nname = "bare"\nversion = "0.1.0"\n' > bare/Cargo.toml
"$CROSSBENCH" allow -C bare > out.txt
assert_contains out.txt "nothing to allow"
exit 0
