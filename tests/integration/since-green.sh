# since-green.sh - issue 13's journey on a real project with Debian's
# cargo: an aarch64 build passes, a commit bumps a dependency (a path
# crate, 0.1.0 -> 0.2.0, whose new build script links zlib, which this
# machine has for the host only) and breaks the aarch64 link; the next
# build, `crossbench history` and `build --json` name the last green
# commit, list the changed files with Cargo.lock first, and name the
# bumped package.  Outside git the rest still works.
. "$TESTLIB/common.sh"
[ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/aarch64-unknown-linux-gnu ] ||
	fail "Debian's cargo and the aarch64 std are missing: .ci/deps test installs them"
[ -e /usr/lib/aarch64-linux-gnu/libz.so ] && skip "zlib1g-dev:arm64 is installed: the bump would not break the link"
A=aarch64-unknown-linux-gnu
export CARGO_HOME="$PWD/cargo-home" XDG_CONFIG_HOME="$PWD/xdg" GIT_CONFIG_NOSYSTEM=1 HOME="$PWD"
git config --global user.name t; git config --global user.email t@example.com
git config --global init.defaultBranch main
copy_sample hello-pure app
git config -f app/.crossbench target.$A.linker aarch64-linux-gnu-gcc
mkdir -p app/zshim/src
printf '[package]\nname = "zshim"\nversion = "0.1.0"\nedition = "2021"\n' > app/zshim/Cargo.toml
echo 'pub fn level() -> u32 { 6 }' > app/zshim/src/lib.rs
printf 'zshim = { path = "zshim" }\n' >> app/Cargo.toml
printf 'fn main() {\n    println!("hello-pure: zlib level {}", zshim::level());\n}\n' > app/src/main.rs
printf 'target/\n' > app/.gitignore
cb() { clean_env CARGO_HOME="$CARGO_HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" HOME="$HOME" \
	GIT_CONFIG_NOSYSTEM=1 "$CROSSBENCH" "$@"; }
(cd app && clean_env /usr/bin/cargo generate-lockfile --offline && git init -q && git add . &&
	git commit -qm "hello-pure with zshim 0.1") > git.log 2>&1 || { cat git.log; fail "setting up the repository"; }
green=$(git -C app rev-parse HEAD)
cb build -C app --target $A --json > pass.json 2> err.txt
assert_eq "$?" 0 "the first aarch64 build: $(cat err.txt)"
assert_eq "$(json_get pass.json "j['results'][0]['commit']")" "$green"
assert_eq "$(json_get pass.json "j['results'][0]['dirty']")" False
assert_eq "$(json_get pass.json "'last_green' in j['results'][0]")" False "a passed build has no last_green"

# The commit that bumps zshim and breaks the link.
sed -i 's/^version = "0.1.0"/version = "0.2.0"/' app/zshim/Cargo.toml
printf 'fn main() {\n    println!("cargo:rustc-link-lib=z");\n}\n' > app/zshim/build.rs
(cd app && clean_env /usr/bin/cargo generate-lockfile --offline && git add . &&
	git commit -qm "zshim 0.2: compress with the system zlib") > git.log 2>&1 || { cat git.log; fail "the bump"; }
grep -q '^version = "0.2.0"' app/Cargo.lock || fail "Cargo.lock was not bumped"
cb build -C app --target $A --json > fail.json 2> err.txt
assert_eq "$?" 1 "the build after the bump"
r="j['results'][0]"
assert_eq "$(json_get fail.json "$r['status']")" failed
assert_eq "$(json_get fail.json "$r['diagnoses'][0]['category']")" target-library-missing
assert_eq "$(json_get fail.json "$r['last_green']['commit']")" "$green" "last_green"
assert_eq "$(json_get fail.json "$r['commits']")" 1
assert_eq "$(json_get fail.json "$r['changed'][0]['path']")" Cargo.lock "the first changed file"
assert_eq "$(json_get fail.json "sorted(c['path'] for c in $r['changed'])")" \
	'["Cargo.lock", "zshim/Cargo.toml", "zshim/build.rs"]'
assert_eq "$(json_get fail.json "[(p['name'], p['from'], p['to']) for p in $r['packages']]")" \
	'[["zshim", "0.1.0", "0.2.0"]]'
# The table says it under the diagnosis.
cb build -C app --target $A > fail.txt 2>&1
assert_contains fail.txt "since: last passed at ${green%"${green#???????}"} ("
assert_contains fail.txt "3 files changed since (1 commit): Cargo.lock (zshim 0.1.0 -> 0.2.0), zshim/Cargo.toml, zshim/build.rs"
# history: the builds, and what changed since the last green one.
cb history -C app > hist.txt 2>&1
assert_eq "$?" 0
assert_contains hist.txt "$A (dev) is failing:"
assert_contains hist.txt "last passed at ${green%"${green#???????}"}"
assert_eq "$(grep -m1 '^    [MA?D] ' hist.txt)" "    M Cargo.lock: zshim 0.1.0 -> 0.2.0" "history's first changed file"
cb history -C app --json > hist.json
assert_eq "$(json_get hist.json "len(j['builds'])")" 3
assert_eq "$(json_get hist.json "j['failing'][0]['last_green']['commit']")" "$green"
assert_eq "$(json_get hist.json "j['repository']['branch']")" main
# --since: only the builds from that commit on.
cb history -C app --since HEAD --json > since.json
assert_eq "$(json_get since.json "[b['status'] for b in j['builds']]")" '["failed", "failed"]'
cb history -C app --since no-such-rev > /dev/null 2> bad.txt
assert_eq "$?" 2
assert_contains bad.txt "--since no-such-rev: no such commit"

# A detached HEAD and a linked worktree are said so.
git -C app worktree add -q --detach ../wt HEAD 2> /dev/null || fail "git worktree add"
cb history -C wt --json > wt.json
assert_eq "$(json_get wt.json "j['repository']['worktree']")" True
assert_eq "$(json_get wt.json "j['repository']['detached']")" True

# Outside git: everything else works, and it says so once.
mkdir plain && cp -a app/. plain/ && rm -rf plain/.git plain/target
cb build -C plain --target $A --json > plain.json 2> err.txt
assert_eq "$?" 1
assert_eq "$(json_get plain.json "j['results'][0]['commit']")" None
assert_eq "$(json_get plain.json "j['results'][0]['diagnoses'][0]['category']")" target-library-missing
cb history -C plain > plain.txt 2>&1
assert_eq "$(grep -c 'not a git repository' plain.txt)" 1 "said once"
exit 0
