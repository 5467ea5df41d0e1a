# Settings in .crossbench (layered over the user's config) reach cargo as
# cargo's and cc-rs's variables; the global RUSTFLAGS never does.
. "$TESTLIB/common.sh"
. "$TESTLIB/build-fixture.sh"
mkdir -p xdg/crossbench
cat > xdg/crossbench/config <<'EOC'
[target]
	env = FAKE_ENV_FROM_USER=1
[target "aarch64-unknown-linux-gnu"]
	linker = user-linker-overridden
	cflags = -O1
EOC
cat >> proj/.crossbench <<'EOC'
[target "aarch64-unknown-linux-gnu"]
	linker = aarch64-linux-gnu-gcc
	cc = aarch64-linux-gnu-gcc
	cxx = aarch64-linux-gnu-g++
	ar = aarch64-linux-gnu-ar
	rustc = /usr/bin/rustc
	rustflags = -C target-feature=+crt-static
	libpath = /usr/lib/gcc-cross/aarch64-linux-gnu/12
	runner = qemu-aarch64 -L /usr/aarch64-linux-gnu
	env = FAKE_ENV_A=1
	env = FAKE_ENV_B=two words
	features = simd fast
	profile = release
	target-dir = out/arm
EOC
RUSTFLAGS="-C opt-level=0" "$CROSSBENCH" build -C proj --json > out.json
assert_eq "$?" 0
log=scen/calls.log
assert_contains $log "argv: build --target aarch64-unknown-linux-gnu --message-format=json-diagnostic-rendered-ansi --color=always --release --features simd fast"
assert_contains $log "env: CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc"
assert_contains $log "env: CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc"
assert_contains $log "env: CXX_aarch64_unknown_linux_gnu=aarch64-linux-gnu-g++"
assert_contains $log "env: AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar"
assert_contains $log "env: CFLAGS_aarch64_unknown_linux_gnu=-O1"
assert_contains $log "env: RUSTC=/usr/bin/rustc"
assert_contains $log "env: CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUSTFLAGS=-C target-feature=+crt-static -L /usr/lib/gcc-cross/aarch64-linux-gnu/12"
assert_contains $log "env: CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER=qemu-aarch64 -L /usr/aarch64-linux-gnu"
assert_contains $log "env: FAKE_ENV_A=1"
assert_contains $log "env: FAKE_ENV_B=two words"
assert_contains $log "env: FAKE_ENV_FROM_USER=1"
assert_contains $log "env: CARGO_TARGET_DIR=$PWD/proj/out/arm"
assert_not_contains $log "RUSTFLAGS=-C opt-level=0"
assert_not_contains $log "user-linker-overridden"
assert_eq "$(json_get out.json 'j["results"][0]["profile"]')" release
# --release on the command line wins over a dev profile setting.
sed -i 's/profile = release/profile = dev/' proj/.crossbench
: > $log
"$CROSSBENCH" build -C proj --release --json > rel.json
assert_contains $log "--release"
# A bad value is reported with file and line, and the build still runs.
printf '\tlinkr = x\n' >> proj/.crossbench
"$CROSSBENCH" build -C proj --json > bad.json 2> warn.txt
assert_eq "$?" 0
assert_contains warn.txt "$PWD/proj/.crossbench:"
assert_contains warn.txt "unknown key 'linkr'"
assert_contains warn.txt "did you mean 'linker'"
