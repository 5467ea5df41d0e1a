# The doctor's probes run behind the screen: a linker that takes its time
# to answer -dumpmachine does not hold the matrix back, keys work
# meanwhile, and the row fills in once it answers.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
. "$TESTLIB/tui-fixture.sh"
# A cross gcc that answers only once the test opens the gate.
mkdir -p bin
cat > bin/aarch64-linux-gnu-gcc <<EOS
#!/bin/sh
while [ ! -e "$PWD/gate" ]; do sleep 0.05; done
case "\$*" in *-dumpmachine*) echo aarch64-linux-gnu ;; esac
EOS
chmod +x bin/aarch64-linux-gnu-gcc
git config -f proj/.crossbench target.aarch64-unknown-linux-gnu.linker "$PWD/bin/aarch64-linux-gnu-gcc"
open_bench
# The matrix is there while the probe waits: aarch64 is still being checked.
wait_for "checking"
row aarch64-unknown-linux-gnu | grep -q checking || fail "aarch64 not shown as checking: $(screen)"
# Keys are answered meanwhile.
keys j
wait_for "log: x86_64-pc-windows-gnu"
touch gate
# The answer arrives: no row is left checking.
wait_gone "checking" 20
row aarch64-unknown-linux-gnu | grep -q checking && fail "still checking: $(screen)"
keys q
wait_for "[exited 0]"
