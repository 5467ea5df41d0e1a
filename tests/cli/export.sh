# crossbench export: the samples' settings as .cargo/config.toml and as
# shell lines; --write keeps the source replacement and is idempotent.
. "$TESTLIB/common.sh"
copy_sample hello-cc app
export XDG_CONFIG_HOME="$PWD/xdg"
chmod -R u+w app

"$CROSSBENCH" export -C app --cargo-config > cfg.toml
assert_eq "$?" 0
cat > want.toml <<'EOC'
# >>> crossbench >>> written by `crossbench export --cargo-config --write`
# from crossbench's settings of x86_64-unknown-linux-gnu, x86_64-pc-windows-gnu, aarch64-unknown-linux-gnu.
# Edit those (.crossbench), not this block: it is rewritten each time.
# cargo = /usr/bin/cargo: build with that cargo (no config file can choose it)

[build]
rustc = "/usr/bin/rustc"

[target.aarch64-unknown-linux-gnu]
linker = "aarch64-linux-gnu-gcc"
runner = ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"]
# <<< crossbench <<<
EOC
cmp want.toml cfg.toml || { diff want.toml cfg.toml; fail "--cargo-config"; }

"$CROSSBENCH" export -C app --env --target aarch64-unknown-linux-gnu > env.sh
assert_eq "$?" 0
cat > want.sh <<'EOC'
# crossbench export --env: what crossbench sets for the builds of aarch64-unknown-linux-gnu
# cargo = /usr/bin/cargo: build with that cargo (no config file can choose it)
export RUSTC=/usr/bin/rustc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER='qemu-aarch64 -L /usr/aarch64-linux-gnu'
EOC
cmp want.sh env.sh || { diff want.sh env.sh; fail "--env"; }
# it is sh, and says what it means
got=$(sh -c '. ./env.sh && printf "%s|%s" "$RUSTC" "$CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER"')
assert_eq "$got" "/usr/bin/rustc|qemu-aarch64 -L /usr/aarch64-linux-gnu"

# --write: the sample's source replacement stays, byte for byte, ahead of
# crossbench's block; a second write changes nothing.
cp app/.cargo/config.toml before.toml
"$CROSSBENCH" export -C app --cargo-config --write > w1.txt
assert_eq "$?" 0
assert_contains w1.txt ".cargo/config.toml: updated"
head -c "$(wc -c < before.toml)" app/.cargo/config.toml > head.toml
cmp before.toml head.toml || fail "the file's own lines changed"
assert_contains app/.cargo/config.toml 'replace-with = "debian"'
assert_contains app/.cargo/config.toml 'directory = "/usr/share/cargo/registry"'
assert_contains app/.cargo/config.toml 'linker = "aarch64-linux-gnu-gcc"'
cp app/.cargo/config.toml first.toml
"$CROSSBENCH" export -C app --cargo-config --write > w2.txt
assert_contains w2.txt "already up to date"
cmp first.toml app/.cargo/config.toml || fail "a second --write changed the file"

# A setting changes: only the block follows it.
printf '[target "x86_64-pc-windows-gnu"]\n\tcc = x86_64-w64-mingw32-gcc-posix\n' >> app/.crossbench
"$CROSSBENCH" export -C app --cargo-config --write > w3.txt 2> w3.err
assert_contains w3.txt "updated"
assert_contains app/.cargo/config.toml '[env]
CC_x86_64_pc_windows_gnu = "x86_64-w64-mingw32-gcc-posix"'
head -c "$(wc -c < before.toml)" app/.cargo/config.toml > head.toml
cmp before.toml head.toml || fail "the file's own lines changed"
[ "$(grep -c '^# >>> crossbench >>>' app/.cargo/config.toml)" = 1 ] || fail "two blocks"
# ... and [env] applies to every target's build: said on stderr
assert_not_contains w3.err "only"

# A key the file already sets is kept, with a warning naming the line.
printf '\n[target.aarch64-unknown-linux-gnu]\nlinker = "my-gcc"\n' >> before.toml
cp before.toml app/.cargo/config.toml
"$CROSSBENCH" export -C app --cargo-config --write > w4.txt 2> w4.err
assert_eq "$?" 0
assert_contains w4.err "crossbench: export: warning: .cargo/config.toml:"
assert_contains w4.err "[target.aarch64-unknown-linux-gnu] linker is set there already; kept it"
assert_contains app/.cargo/config.toml 'linker = "my-gcc"
runner = ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"]  # managed by crossbench'
[ "$(grep -c '^linker = ' app/.cargo/config.toml)" = 1 ] || fail "two linkers for aarch64"

# A block that never ends is left alone.
printf '# >>> crossbench >>>\n[build]\n' > app/.cargo/config.toml
"$CROSSBENCH" export -C app --cargo-config --write 2> broken.err
assert_eq "$?" 1 "an unfinished block"
assert_contains broken.err "config.toml:1: crossbench's block starts here"

# Bad usage.
"$CROSSBENCH" export -C app 2> /dev/null
assert_eq "$?" 2 "neither --cargo-config nor --env"
"$CROSSBENCH" export -C app --cargo-config --env 2> /dev/null
assert_eq "$?" 2 "both"
"$CROSSBENCH" export -C app --env --write 2> /dev/null
assert_eq "$?" 2 "--write with --env"
"$CROSSBENCH" export -C app --env --target 'no good' 2> /dev/null
assert_eq "$?" 2 "a bad triple"
mkdir empty
"$CROSSBENCH" export -C empty --env 2> none.err
assert_eq "$?" 2 "no targets"
assert_contains none.err "no targets"
