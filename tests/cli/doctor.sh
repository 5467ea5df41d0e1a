# crossbench doctor against fake PATHs and fake sysroots
# (tests/fixtures/doctor): a ready target, a tool missing, no std, a libgcc
# of the wrong machine, the fix per package manager, --json, exit status.
. "$TESTLIB/common.sh"
F=$TOP/tests/fixtures/doctor
mkdir proj home
printf '[package]\nname = "p"\nversion = "0.1.0"\n' > proj/Cargo.toml
printf 'version = 3\n\n[[package]]\nname = "cc"\nversion = "1.0.73"\n' > proj/Cargo.lock
cat > proj/.crossbench <<'EOC'
[target "aarch64-unknown-linux-gnu"]
	linker = aarch64-linux-gnu-gcc
[target "x86_64-pc-windows-gnu"]
[target "armv7-unknown-linux-gnueabihf"]
	enabled = false
EOC
# doc PATH ARGS...: the doctor with nothing but the fake PATH
doc() {
	p=$1; shift
	env -i HOME="$PWD/home" CARGO_HOME="$PWD/home/.cargo" PATH="$p" \
		CROSSBENCH_TRUST="$CROSSBENCH_TRUST" \
		"$CROSSBENCH" doctor -C proj "$@"
}

# The enabled targets are ready: exit 0, one line each.
doc "$F/bin" --pm apt > ok.txt 2> err.txt
assert_eq "$?" 0 "exit status when every enabled target is ready"
assert_contains ok.txt "aarch64-unknown-linux-gnu          ok"
assert_contains ok.txt "x86_64-pc-windows-gnu              ok         1.70.0 $F/bin/rustc"
assert_not_contains ok.txt "armv7"
assert_contains ok.txt "Every target is ready."
[ -s err.txt ] && fail "stderr: $(cat err.txt)"

# armv7 by name: no std, and rustc would link with the host's cc.
doc "$F/bin" --pm apt --target armv7-unknown-linux-gnueabihf > arm.txt
assert_eq "$?" 1 "exit status with a target not ready"
assert_contains arm.txt "armv7-unknown-linux-gnueabihf      no std"
assert_contains arm.txt "MISSING  std      rustc 1.70.0 at $F/bin/rustc"
assert_contains arm.txt "has no std for armv7-unknown-linux-gnueabihf"
assert_contains arm.txt "apt-get install libstd-rust-dev:armhf"
assert_contains arm.txt "WRONG    linker   $F/bin/cc builds for x86_64-linux-gnu, not arm (rustc's default)"
assert_contains arm.txt "apt-get install gcc-arm-linux-gnueabihf libc6-dev-armhf-cross"
assert_contains arm.txt "fix: set linker = arm-linux-gnueabihf-gcc"
assert_contains arm.txt "0 of 1 target ready; not ready: armv7-unknown-linux-gnueabihf"
# --all takes the disabled one too
doc "$F/bin" --pm apt --all > all.txt
assert_eq "$?" 1 "--all"
assert_contains all.txt "2 of 3 targets ready; not ready: armv7-unknown-linux-gnueabihf"

# A tool missing: the aarch64 gcc gone from PATH; its package for each
# package manager.
cp -R "$F" fx && rm fx/bin/aarch64-linux-gnu-gcc
doc "$PWD/fx/bin" --pm apt --target aarch64-unknown-linux-gnu > apt.txt
assert_eq "$?" 1
assert_contains apt.txt "aarch64-unknown-linux-gnu          no linker"
assert_contains apt.txt "MISSING  linker   aarch64-linux-gnu-gcc: not found on PATH (the linker setting)"
assert_contains apt.txt "apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross"
doc "$PWD/fx/bin" --pm dnf --target aarch64-unknown-linux-gnu > dnf.txt
assert_contains dnf.txt "dnf install gcc-aarch64-linux-gnu"
doc "$PWD/fx/bin" --pm pacman --target aarch64-unknown-linux-gnu > pacman.txt
assert_contains pacman.txt "pacman -S aarch64-linux-gnu-gcc"
doc "$PWD/fx/bin" --pm none --target aarch64-unknown-linux-gnu > none.txt
assert_not_contains none.txt "install gcc"

# A libgcc of the wrong machine, and no C library.
doc "$F/bin-badlibgcc:$F/bin" --pm apt --target aarch64-unknown-linux-gnu > bad.txt
assert_eq "$?" 1
assert_contains bad.txt "aarch64-unknown-linux-gnu          no libgcc"
assert_contains bad.txt "WRONG    libgcc   $F/bin-badlibgcc/../objs/libgcc-x86_64.a is for x86_64, not aarch64"
assert_contains bad.txt "MISSING  sysroot  $F/bin-badlibgcc/aarch64-linux-gnu-gcc finds no crt1.o"
assert_contains bad.txt "apt-get install libc6-dev-arm64-cross"

# The std of the rustc the settings name, here a rustup toolchain's.
printf '[target]\n\trustc = %s/bin-rustup/rustc\n' "$F" >> proj/.crossbench
doc "$F/bin" --pm apt --target aarch64-unknown-linux-gnu > rustup.txt
assert_eq "$?" 1
assert_contains rustup.txt "(rustup toolchain 1.70-x86_64-unknown-linux-gnu)"
assert_contains rustup.txt "(the rustc setting)"
assert_contains rustup.txt "fix: rustup target add --toolchain 1.70-x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu"
assert_contains rustup.txt "fix: set rustc = $F/bin/rustc"

# --json: one object, the same verdicts.
doc "$F/bin" --pm apt --json --target aarch64-unknown-linux-gnu \
	--target x86_64-pc-windows-gnu > out.json
assert_eq "$?" 1
assert_eq "$(json_get out.json 'j["ready"]')" False
assert_eq "$(json_get out.json 'j["host"]["pm"]')" apt
assert_eq "$(json_get out.json '[t["summary"] for t in j["targets"]]')" '["no std", "no std"]'
assert_eq "$(json_get out.json '[f["status"] for f in j["targets"][0]["findings"] if f["what"]=="std"][0]')" missing
assert_eq "$(json_get out.json '[x["argv"] for f in j["targets"][0]["findings"] for x in f["fixes"] if x["kind"]=="run"][0]')" \
	'["rustup", "target", "add", "--toolchain", "1.70-x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"]'

# Bad usage.
doc "$F/bin" --target 'not a triple' 2> usage.txt
assert_eq "$?" 2 "a bad triple"
assert_contains usage.txt "crossbench: doctor:"
doc "$F/bin" --pm yum 2> /dev/null
assert_eq "$?" 2 "--pm yum"
doc "$F/bin" --bogus 2> /dev/null
assert_eq "$?" 2 "an unknown option"
doc "$F/bin" extra 2> /dev/null
assert_eq "$?" 2 "an argument"
"$CROSSBENCH" doctor --help > help.txt
assert_eq "$?" 0
assert_contains help.txt "usage: crossbench doctor"
