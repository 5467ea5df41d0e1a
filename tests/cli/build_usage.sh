# Bad usage and bad input get a clear message and exit 2.
. "$TESTLIB/common.sh"
. "$TESTLIB/build-fixture.sh"
add_target x86_64-pc-windows-gnu

"$CROSSBENCH" build -C proj --target not-a-triple-at-all-x 2> e1.txt
assert_eq "$?" 2 "bad triple"
assert_contains e1.txt "not-a-triple-at-all-x"
"$CROSSBENCH" build -C proj --jobs 0 2> e2.txt
assert_eq "$?" 2 "--jobs 0"
assert_contains e2.txt "--jobs '0'"
"$CROSSBENCH" build -C proj --timeout 9999999999999999h 2> e3b.txt
assert_eq "$?" 2 "--timeout too large"
"$CROSSBENCH" build -C proj --timeout soon 2> e3.txt
assert_eq "$?" 2 "--timeout soon"
assert_contains e3.txt "--timeout 'soon'"
mkdir empty
"$CROSSBENCH" build -C empty 2> e4.txt
assert_eq "$?" 2 "not a cargo project"
assert_contains e4.txt "no Cargo.toml"
"$CROSSBENCH" build -C does-not-exist 2> e5.txt
assert_eq "$?" 2 "missing directory"
assert_contains e5.txt "does-not-exist"
printf '[target]\n\tcargo = %s\n' "$TOP/tests/lib/fake-cargo" > proj/.crossbench
"$CROSSBENCH" build -C proj 2> e6.txt
assert_eq "$?" 2 "no targets"
assert_contains e6.txt "no targets to build"
"$CROSSBENCH" build --bogus 2> e7.txt
assert_eq "$?" 2 "unknown option"
"$CROSSBENCH" build --help > h.txt
assert_eq "$?" 0 "--help"
assert_contains h.txt "usage: crossbench build"
"$CROSSBENCH" --version > v.txt
assert_contains v.txt "crossbench "
