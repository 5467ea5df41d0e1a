# The exported .cargo/config.toml makes plain cargo build what crossbench
# builds: samples/hello-cc for aarch64 and windows-gnu with Debian's cargo
# in a clean environment, even with another rustc first on PATH (the
# [build] rustc line), with the cc setting reaching cc-rs through [env],
# and the aarch64 runner running the binary.
. "$TESTLIB/common.sh"
[ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/x86_64-pc-windows-gnu ] &&
	[ -d /usr/lib/rustlib/aarch64-unknown-linux-gnu ] ||
	fail "Debian's cargo and cross std are missing: run 'make check' (it installs them) or .ci/deps test"
copy_sample hello-cc app
chmod -R u+w app
export XDG_CONFIG_HOME="$PWD/xdg"
# cc-rs must run this wrapper for aarch64: it leaves a mark, then compiles.
mkdir bin
cat > bin/mark-gcc <<EOC
#!/bin/sh
echo "\$*" >> "$PWD/mark.log"
exec aarch64-linux-gnu-gcc "\$@"
EOC
chmod +x bin/mark-gcc
printf '[target "aarch64-unknown-linux-gnu"]\n\tcc = %s/bin/mark-gcc\n' "$PWD" >> app/.crossbench

"$CROSSBENCH" export -C app --cargo-config --write > write.txt 2> write.err
assert_eq "$?" 0 "export --write"
assert_contains app/.cargo/config.toml 'rustc = "/usr/bin/rustc"'
assert_contains app/.cargo/config.toml "CC_aarch64_unknown_linux_gnu = \"$PWD/bin/mark-gcc\""
assert_contains app/.cargo/config.toml 'replace-with = "debian"'

# plain_cargo PATH ARGS...: Debian's cargo, nothing of crossbench's
top=$PWD
plain_cargo() {
	p=$1; shift
	(cd app && env -i HOME="$HOME" PATH="$p" CARGO_HOME="$top/cargo-home" \
		CARGO_TARGET_DIR="$top/target" /usr/bin/cargo "$@")
}
plain_cargo /usr/sbin:/usr/bin:/sbin:/bin build --target aarch64-unknown-linux-gnu > arm.log 2>&1 ||
	{ tail -n 30 arm.log; fail "cargo build --target aarch64-unknown-linux-gnu"; }
assert_contains "$(file -b target/aarch64-unknown-linux-gnu/debug/hello-cc)" \
	"ELF 64-bit LSB pie executable, ARM aarch64"
[ -s mark.log ] || fail "cc-rs did not run the cc setting's compiler (CC_aarch64_unknown_linux_gnu in [env])"
plain_cargo /usr/sbin:/usr/bin:/sbin:/bin build --target x86_64-pc-windows-gnu > win.log 2>&1 ||
	{ tail -n 30 win.log; fail "cargo build --target x86_64-pc-windows-gnu"; }
assert_contains "$(file -b target/x86_64-pc-windows-gnu/debug/hello-cc.exe)" "PE32+ executable (console) x86-64"

# Another rustc first on PATH (as rustup's ~/.cargo/bin is): Debian's
# cargo would run it, but [build] rustc names Debian's.
mkdir decoy
printf '#!/bin/sh\necho "decoy rustc: not this one" >&2\nexit 1\n' > decoy/rustc
chmod +x decoy/rustc
rm -rf target/x86_64-pc-windows-gnu
plain_cargo "$PWD/decoy:/usr/sbin:/usr/bin:/sbin:/bin" build --target x86_64-pc-windows-gnu > decoy.log 2>&1 ||
	{ tail -n 30 decoy.log; fail "cargo ran the first rustc on PATH despite [build] rustc"; }
assert_not_contains decoy.log "decoy rustc"

# The runner: cargo run under qemu with the exported -L.
if command -v qemu-aarch64 >/dev/null && [ -d /usr/aarch64-linux-gnu ]; then
	out=$(plain_cargo /usr/sbin:/usr/bin:/sbin:/bin run -q --target aarch64-unknown-linux-gnu 2>&1)
	assert_contains "$out" "hello-cc: arch=aarch64 c_add(40,2)=42"
fi
