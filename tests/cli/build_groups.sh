# build_groups.sh - one cause, many targets: two targets whose links miss
# the same C library are one group, with each target's own fix; a third
# that misses another library, and a fourth that passes, are not in it.
# The builds are the fake cargo's; the linker's words are ld's.
. "$TESTLIB/common.sh"
. "$TESTLIB/build-fixture.sh"
add_target x86_64-unknown-linux-gnu
add_target aarch64-unknown-linux-gnu
add_target riscv64gc-unknown-linux-gnu
add_target armv7-unknown-linux-gnueabihf
missing() { # TARGET PREFIX LIB
	cat > "scen/$1" <<EOS
message "\$(printf 'error: linking with \`$2-gcc\` failed: exit status: 1\n  = note: /usr/lib/gcc-cross/$2/12/../../../../$2/bin/ld: cannot find -l$3: No such file or directory\n          collect2: error: ld returned 1 exit status')"
finish false
exit 101
EOS
}
missing aarch64-unknown-linux-gnu aarch64-linux-gnu z
missing riscv64gc-unknown-linux-gnu riscv64-linux-gnu z
missing armv7-unknown-linux-gnueabihf arm-linux-gnueabihf sqlite3
"$CROSSBENCH" build -C proj --json > out.json 2> err.txt
assert_eq "$?" 1
assert_eq "$(json_get out.json 'len(j["groups"])')" 1 "groups"
g="j['groups'][0]"
assert_eq "$(json_get out.json "$g['rule']")" target-library-missing
assert_eq "$(json_get out.json "$g['subject']")" z
assert_eq "$(json_get out.json "$g['profile']")" dev
assert_eq "$(json_get out.json "$g['targets']")" '["aarch64-unknown-linux-gnu", "riscv64gc-unknown-linux-gnu"]'
# One fix per target, each its own.
fixes=$(json_get out.json "[(f['target'], f['fixes']) for f in $g['fixes']]")
assert_contains "$fixes" "zlib1g-dev:arm64"
assert_contains "$fixes" "zlib1g-dev:riscv64"
# The diagnoses say what they are about.
assert_eq "$(json_get out.json "[r['diagnoses'][0]['subject'] for r in j['results'] if r['status']=='failed']")" \
	'["z", "z", "sqlite3"]'
"$CROSSBENCH" build -C proj > out.txt 2>&1
assert_contains out.txt "one cause, 2 targets (dev): target-library-missing (z): aarch64-unknown-linux-gnu, riscv64gc-unknown-linux-gnu"
# Nothing in common: no groups.
missing riscv64gc-unknown-linux-gnu riscv64-linux-gnu ssl
"$CROSSBENCH" build -C proj --json > none.json 2> err.txt
assert_eq "$(json_get none.json 'j["groups"]')" '[]'
exit 0
