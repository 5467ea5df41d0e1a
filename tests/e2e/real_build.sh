# The workbench with real cross builds (Debian's cargo, the cross gcc):
# samples/hello-cc without its aarch64 linker fails the way the article's
# did, the diagnosis names the cause, f applies the fix, the rebuild passes
# and the artifact column shows an aarch64 ELF that fits the target.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
[ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/aarch64-unknown-linux-gnu ] &&
	command -v aarch64-linux-gnu-gcc >/dev/null ||
	fail "Debian's cargo, the aarch64 std and gcc-aarch64-linux-gnu are needed: make check installs them"
copy_sample hello-cc proj
sed -i '/^\tlinker = /d' proj/.crossbench
mkdir -p xdg
tui_start -- env -i HOME="$TESTTMP" PATH=/usr/sbin:/usr/bin:/sbin:/bin TERM=xterm-256color \
	LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME="$TESTTMP/xdg" CARGO_HOME="$TESTTMP/cargo-home" \
	CROSSBENCH_TRUST="$CROSSBENCH_TRUST" \
	"$CROSSBENCH" -C "$TESTTMP/proj"
wait_for "aarch64-unknown-linux-gnu"
keys j j b
wait_for "wrong-linker-format" 180
wait_row aarch64-unknown-linux-gnu failed 180
wait_for "fix (f): set linker = aarch64-linux-gnu-gcc for aarch64-unknown-linux-gnu"
snap 1-failed
keys f
wait_for "then rebuild? [y/n]"
keys y
wait_for "passed in" 180
snap 2-fixed
wait_row aarch64-unknown-linux-gnu passed 180
wait_row aarch64-unknown-linux-gnu 'ELF aarch64 .* ok'
assert_eq "$(git config -f proj/.crossbench --get target.aarch64-unknown-linux-gnu.linker)" aarch64-linux-gnu-gcc
keys q
wait_for "[exited 0]"
