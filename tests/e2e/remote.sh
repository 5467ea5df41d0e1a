# A target that builds on another machine, in the workbench: the row says
# where ("@buildhost"), the doctor's column is the host's answer, b builds
# it there with the log live in the pane, the artifact brought back is
# checked like a local one, and a local target beside it builds here.
# The host is the test's own sshd on 127.0.0.1 (tests/lib/sshd.sh).
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
[ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/aarch64-unknown-linux-gnu ] ||
	fail "Debian's cargo and the aarch64 std are missing: .ci/deps test installs them"
A=aarch64-unknown-linux-gnu
T=$TESTTMP
. "$TESTLIB/sshd.sh"
copy_sample hello-pure proj
# A build script that takes a moment, so the pane is seen while it runs.
printf 'fn main() {\n    eprintln!("slow build script");\n    std::thread::sleep(std::time::Duration::from_secs(3));\n}\n' > proj/build.rs
{
	printf '[target "%s"]\n\thost = buildhost\n' "$A"
	printf '[host "buildhost"]\n\tssh-options = -F %s/ssh_config\n\tdir = %s/there\n' "$T" "$T"
} >> proj/.crossbench
mkdir -p xdg
tui_start -- env -i HOME="$T" PATH=/usr/sbin:/usr/bin:/sbin:/bin TERM=xterm-256color \
	LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME="$T/xdg" \
	CROSSBENCH_TRUST="$CROSSBENCH_TRUST" "$CROSSBENCH" -C "$T/proj"
wait_for "$A @buildhost"
# The doctor asked the host (its cargo and std there): ready.
wait_row $A " ok " 30
snap 1-rows
keys j j b
# Live: the pane has the host's cargo output while the build still runs.
wait_for "on buildhost in" 30
wait_for "hello-pure v0.1.0 (" 60
row $A | grep -q "run\|▰\|▱" || { screen; fail "the row is not running while the pane streams"; }
wait_row $A passed 120
# (The pane wraps a long path: the words, then the file itself.)
wait_for "copied 1 artifact to"
[ -f "$T/proj/target/crossbench/$A/dev/hello-pure" ] || fail "the artifact did not come back"
wait_row $A 'ELF aarch64 .* ok'
snap 2-built
# The first row builds here.
keys k k b
wait_row x86_64-unknown-linux-gnu passed 120
row x86_64-unknown-linux-gnu | grep -q "@" && fail "the local target shows a host"
keys q
wait_for "[exited 0]"
