# crossbench doctor on this machine with the samples' settings: the
# toolchains `make check` installs (MinGW, the aarch64 cross gcc, Debian's
# std for both) make windows-gnu and aarch64 ready; armv7's std is not one
# of them; hello-ring is left without the aarch64 linker on purpose.
. "$TESTLIB/common.sh"
[ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/x86_64-pc-windows-gnu ] &&
	[ -d /usr/lib/rustlib/aarch64-unknown-linux-gnu ] &&
	command -v aarch64-linux-gnu-gcc >/dev/null &&
	command -v x86_64-w64-mingw32-gcc >/dev/null ||
	fail "the cross toolchains are missing: run 'make check' (it installs them) or .ci/deps test"
copy_sample hello-cc cc
copy_sample hello-ring ring
export XDG_CONFIG_HOME="$PWD/xdg"

clean_env XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "$CROSSBENCH" doctor -C cc \
	--target x86_64-pc-windows-gnu --target aarch64-unknown-linux-gnu > ready.txt
assert_eq "$?" 0 "windows-gnu and aarch64 with hello-cc's settings"
assert_contains ready.txt "x86_64-pc-windows-gnu              ok         1.63"
assert_contains ready.txt "aarch64-unknown-linux-gnu          ok         1.63"
assert_contains ready.txt "/usr/bin/rustc"

# The same with -v: the rustc named by the settings, the real libgcc.
clean_env XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "$CROSSBENCH" doctor -C cc -v \
	--target aarch64-unknown-linux-gnu > v.txt
assert_contains v.txt "ok       rustc    rustc 1.63"
assert_contains v.txt "(the rustc setting)"
assert_contains v.txt "ok       libgcc   /usr/lib/gcc-cross/aarch64-linux-gnu/"
assert_contains v.txt "libgcc.a (aarch64)"
assert_contains v.txt "ok       linker   /usr/bin/aarch64-linux-gnu-gcc builds for aarch64-linux-gnu (the linker setting)"

# armv7: Debian's rustc has no std for it here.
if [ ! -d /usr/lib/rustlib/armv7-unknown-linux-gnueabihf ]; then
	clean_env XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "$CROSSBENCH" doctor -C cc \
		--target armv7-unknown-linux-gnueabihf > arm.txt
	assert_eq "$?" 1 "armv7"
	assert_contains arm.txt "armv7-unknown-linux-gnueabihf      no std"
	assert_contains arm.txt "has no std for armv7-unknown-linux-gnueabihf"
	assert_contains arm.txt "apt-get install libstd-rust-dev:armhf"
	command -v arm-linux-gnueabihf-gcc >/dev/null ||
		assert_contains arm.txt "apt-get install gcc-arm-linux-gnueabihf libc6-dev-armhf-cross"
fi

# hello-ring, as a new project starts: rustc would link aarch64 with cc.
clean_env XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "$CROSSBENCH" doctor -C ring > ring.txt
assert_eq "$?" 1 "hello-ring without the aarch64 linker"
assert_contains ring.txt "aarch64-unknown-linux-gnu          no linker"
assert_contains ring.txt "WRONG    linker   /usr/bin/cc builds for x86_64-linux-gnu, not aarch64 (rustc's default)"
assert_contains ring.txt "fix: set linker = aarch64-linux-gnu-gcc"
assert_not_contains ring.txt "aarch64-apple-darwin"   # disabled

# The trap: Debian's cargo runs the first rustc on PATH.  A rustc there
# without the cross std (rustup's, or this stand-in) is the one checked,
# and Debian's is offered.
mkdir decoy
cat > decoy/rustc <<EOC
#!/bin/sh
case "\$*" in
"--print sysroot") echo "$PWD/decoy-sysroot" ;;
-vV) printf 'rustc 1.95.0\nhost: x86_64-unknown-linux-gnu\nrelease: 1.95.0\n' ;;
*) exit 1 ;;
esac
EOC
chmod +x decoy/rustc
mkdir -p decoy-sysroot/lib/rustlib/x86_64-unknown-linux-gnu/lib
sed -i '/rustc = /d' cc/.crossbench
env -i HOME="$HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" PATH="$PWD/decoy:/usr/bin:/bin" \
	CROSSBENCH_TRUST="$CROSSBENCH_TRUST" \
	"$CROSSBENCH" doctor -C cc --target x86_64-pc-windows-gnu > trap.txt
assert_eq "$?" 1 "the PATH trap"
assert_contains trap.txt "rustc 1.95.0 at $PWD/decoy/rustc (the first rustc on PATH, which /usr/bin/cargo runs) has no std for x86_64-pc-windows-gnu"
assert_contains trap.txt "fix: set rustc = /usr/bin/rustc"
