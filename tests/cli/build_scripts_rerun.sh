# A changed setting reaches build scripts: when the variables crossbench
# sets for a target differ from the last build's in that directory,
# cargo's records of the packages with build scripts go (so cargo builds
# them again); the same settings keep them, and a package without a build
# script is never touched.
. "$TESTLIB/common.sh"
. "$TESTLIB/build-fixture.sh"
T=aarch64-unknown-linux-gnu
add_target $T
printf 'artifact "$CARGO_TARGET_DIR/$target/debug/app"\nfinish true\n' > scen/$T
fp=proj/target/crossbench/build/multi/$T/debug/.fingerprint
records() {
	mkdir -p $fp/app-1111 $fp/app-2222 $fp/dep-3333
	: > $fp/app-1111/run-build-script-build-script-build
	: > $fp/app-2222/bin-app
	: > $fp/dep-3333/lib-dep
}
build() { "$CROSSBENCH" build -C proj --trust --target $T --json > out.json 2> err.txt ||
	{ cat err.txt; fail "build"; }; json_get out.json "j['results'][0]['log']"; }

records
log=$(build)
assert_contains "$log" "the packages with build scripts are built again" "a directory without a stamp"
[ -e $fp/app-1111 ] || [ -e $fp/app-2222 ] && fail "the records of a package with a build script stayed"
[ -e $fp/dep-3333/lib-dep ] || fail "a package without a build script lost its record"

records
log=$(build)
assert_not_contains "$log" "built again" "the same settings"
[ -e $fp/app-1111/run-build-script-build-script-build ] || fail "the same settings removed a record"

git config -f proj/.crossbench target.$T.cc aarch64-linux-gnu-gcc-12
log=$(build)
assert_contains "$log" "the packages with build scripts are built again" "a changed cc"
[ -e $fp/app-2222 ] && fail "a changed cc kept the package's records"
[ -e $fp/dep-3333/lib-dep ] || fail "a changed cc touched a package without a build script"

# The runner reaches no build script: changing it rebuilds nothing.
records
git config -f proj/.crossbench target.$T.runner qemu-aarch64
log=$(build)
assert_not_contains "$log" "built again" "a changed runner"
exit 0
