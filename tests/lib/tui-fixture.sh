# tui-fixture.sh - a project for the workbench tests, built by the fake
# cargo.  Sourced after common.sh and tmux.sh.
. "$TESTLIB/build-fixture.sh"
add_target x86_64-unknown-linux-gnu
add_target x86_64-pc-windows-gnu
add_target aarch64-unknown-linux-gnu
add_target aarch64-apple-darwin false

# aarch64 fails the way the host's ld fails, until its linker is set.
cat > scen/aarch64-unknown-linux-gnu <<'EOS'
say "   Compiling app v0.1.0"
i=0; while [ $i -lt 12 ]; do unit dep$i; i=$((i + 1)); done
if [ -n "${CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER:-}" ]; then
	artifact "$PWD/target/aarch64-unknown-linux-gnu/debug/app"
	finish true
	exit 0
fi
message "$(printf 'error: linking with `cc` failed: exit status: 1\n  |\n  = note: /usr/bin/ld: target/aarch64-unknown-linux-gnu/debug/deps/app.o: Relocations in generic ELF (EM: 183)\n          /usr/bin/ld: target/aarch64-unknown-linux-gnu/debug/deps/app.o: error adding symbols: file in wrong format\n          collect2: error: ld returned 1 exit status')"
say "error: could not compile \`app\` due to previous error"
finish false
exit 101
EOS

# open [W H]: the workbench on ./proj in tmux.
open_bench() {
	tui_start ${1:+$1 $2} -- env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \
		FAKE_CARGO_DIR="$FAKE_CARGO_DIR" TESTBIN="$TESTBIN" \
		XDG_CONFIG_HOME="$XDG_CONFIG_HOME" HOME="$TESTTMP" EDITOR="${EDITOR:-vi}" \
		${BENCH_ENV:-} "$CROSSBENCH" -C "$TESTTMP/proj"
	wait_for "aarch64-unknown-linux-gnu"
}
