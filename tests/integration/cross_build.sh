# Real cross builds of samples/hello-cc (build.rs compiles C through the cc
# crate) for Windows and aarch64 with Debian's cargo, concurrently; `file`
# must agree the outputs are PE32+ x86-64 and ELF aarch64, and the aarch64
# one must run under qemu.  Without the aarch64 linker setting the build
# fails, and its log is kept and named.
. "$TESTLIB/common.sh"
[ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/x86_64-pc-windows-gnu ] &&
	[ -d /usr/lib/rustlib/aarch64-unknown-linux-gnu ] ||
	fail "Debian's cargo and cross std are missing: run 'make check' (it installs them) or .ci/deps test"
copy_sample hello-cc app
export CARGO_HOME="$PWD/cargo-home" XDG_CONFIG_HOME="$PWD/xdg"
clean_env CARGO_HOME="$CARGO_HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" \
	"$CROSSBENCH" build --json -C app --target x86_64-pc-windows-gnu \
	--target aarch64-unknown-linux-gnu > out.json 2> err.txt
rc=$?
[ $rc = 0 ] || { cat err.txt; for l in $(json_get out.json '" ".join(r["log"] for r in j["results"])'); do tail -n 30 "$l"; done; fail "build exited $rc"; }
win=$(json_get out.json "[r['artifacts'][0] for r in j['results'] if r['target']=='x86_64-pc-windows-gnu'][0]")
arm=$(json_get out.json "[r['artifacts'][0] for r in j['results'] if r['target']=='aarch64-unknown-linux-gnu'][0]")
assert_contains "$(file -b "$win")" "PE32+ executable (console) x86-64" "file $win"
assert_contains "$(file -b "$arm")" "ELF 64-bit LSB pie executable, ARM aarch64" "file $arm"
# The default strategy: one cargo for both, in the shared multi directory.
case $win in "$PWD/app/target/crossbench/build/multi/x86_64-pc-windows-gnu/"*hello-cc.exe) ;; *) fail "windows artifact at $win" ;; esac
case $arm in "$PWD/app/target/crossbench/build/multi/aarch64-unknown-linux-gnu/"*) ;; *) fail "aarch64 artifact at $arm" ;; esac
for l in $(json_get out.json '" ".join(r["log"] for r in j["results"])'); do
	assert_contains "$l" "built in one cargo with 2 targets"
	assert_contains "$l" "--target x86_64-pc-windows-gnu --target aarch64-unknown-linux-gnu"
done
# Concurrently: each build started before the other finished.
overlap=$(json_get out.json 'int(j["results"][0]["started"] < j["results"][1]["finished"] and j["results"][1]["started"] < j["results"][0]["finished"])')
assert_eq "$overlap" 1 "the two builds overlapped in time"
# The build runs for real on aarch64 (under qemu) and printed from C.
if command -v qemu-aarch64 >/dev/null; then
	out=$(qemu-aarch64 -L /usr/aarch64-linux-gnu "$arm")
	assert_contains "$out" "hello-cc: arch=aarch64 c_add(40,2)=42"
fi
# cargo was given the jobserver and had nothing to say about it.
for l in $(json_get out.json '" ".join(r["log"] for r in j["results"])'); do
	assert_not_contains "$l" "ignoring the \`-j\` parameter"
	assert_not_contains "$l" "jobserver"
done

# Without the linker setting rustc links with the host's cc: failure, and
# the log that shows it is kept and named in the JSON.
copy_sample hello-cc nolinker
sed -i '/^\tlinker = /d' nolinker/.crossbench
clean_env CARGO_HOME="$CARGO_HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" \
	"$CROSSBENCH" build --json -C nolinker --target x86_64-pc-windows-gnu \
	--target aarch64-unknown-linux-gnu > fail.json
assert_eq "$?" 1 "exit status without the aarch64 linker"
assert_eq "$(json_get fail.json "[r['status'] for r in j['results'] if r['target']=='aarch64-unknown-linux-gnu'][0]")" failed
assert_eq "$(json_get fail.json "[r['status'] for r in j['results'] if r['target']=='x86_64-pc-windows-gnu'][0]")" passed
log=$(json_get fail.json "[r['log'] for r in j['results'] if r['target']=='aarch64-unknown-linux-gnu'][0]")
[ -s "$log" ] || fail "no log at $log"
assert_contains "$log" "file in wrong format"
# The shared build failed, so each target was built again alone: the
# failure is aarch64's own, and Windows passed all the same.
assert_contains "$log" "built alone: the shared build of 2 targets failed"
assert_not_contains "$log" "x86_64-w64-mingw32"
