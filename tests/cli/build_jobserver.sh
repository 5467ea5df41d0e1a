# Every build shares one jobserver: with --jobs 2, four builds that each
# want four parallel jobs never run more than two jobs at once in total,
# and the builds get the jobserver, never -j.
. "$TESTLIB/common.sh"
. "$TESTLIB/build-fixture.sh"
for t in x86_64-pc-windows-gnu aarch64-unknown-linux-gnu i686-pc-windows-gnu armv7-unknown-linux-gnueabihf; do
	add_target $t
	printf 'slot_work 0.4 4\nartifact "$PWD/target/$target/app"\nfinish true\n' > scen/$t
done
"$CROSSBENCH" build -C proj --jobs 2 --json > out.json
assert_eq "$?" 0
assert_eq "$(cat scen/conc.max)" 2 "most jobs running at once with --jobs 2"
assert_eq "$(cat scen/conc.now)" 0 "jobs left counted in"
assert_contains scen/calls.log "env: CARGO_MAKEFLAGS=-j --jobserver-fds="
assert_not_contains scen/calls.log " -j " "cargo argv"
assert_not_contains scen/calls.log "argv: build --target x86_64-pc-windows-gnu -j"

rm -f scen/conc.*
"$CROSSBENCH" build -C proj --jobs 3 --json > out3.json
assert_eq "$(cat scen/conc.max)" 3 "most jobs running at once with --jobs 3"
