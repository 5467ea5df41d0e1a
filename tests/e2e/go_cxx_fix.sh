# The article's other builds in the workbench, with the real toolchains:
# hello-go (cgo, c-shared) builds for windows and aarch64 with B; under a
# CI image's CGO_ENABLED=0 the aarch64 row fails as cgo-disabled, f sets
# env CGO_ENABLED=1 and the rebuild passes with the library's exports
# checked.  hello-cxx whose aarch64 cxx names a g++ that is not installed
# fails as missing-c-compiler; f sets the installed cross g++ and the
# rebuild passes.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
for p in go /usr/bin/cargo aarch64-linux-gnu-gcc aarch64-linux-gnu-g++ x86_64-w64-mingw32-gcc; do
	command -v $p >/dev/null || fail "$p is missing: .ci/deps test installs it"
done
A=aarch64-unknown-linux-gnu
W=x86_64-pc-windows-gnu
T=$TESTTMP
copy_sample hello-go hgo
mkdir -p xdg
bench() {   # bench DIR [VAR=VALUE...]: the workbench on DIR
	d=$1; shift
	tui_start -- env -i HOME="$T" PATH=/usr/sbin:/usr/bin:/sbin:/bin TERM=xterm-256color \
		LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME="$T/xdg" "$@" \
		CROSSBENCH_TRUST="$CROSSBENCH_TRUST" "$CROSSBENCH" -C "$T/$d"
}
bench hgo CGO_ENABLED=0
wait_for "$A"
wait_row $A " ok " 30
keys B
wait_row $W failed 120
wait_row $A failed 120
keys G
wait_for "cgo-disabled" 30
wait_for "fix (f): set env = CGO_ENABLED=1 for $A"
snap 1-nocgo
keys f
wait_for "then rebuild? [y/n]"
keys y
wait_row $A passed 120
wait_row $A 'ELF aarch64 .*ok'
assert_contains hgo/.crossbench "CGO_ENABLED=1"
snap 2-fixed
keys q
wait_for "[exited 0]"

# Windows too, with cgo on: the DLL and its exports.
bench hgo
wait_for "$W"
keys j b
wait_row $W passed 120
wait_row $W 'PE32+ x86_64 DLL.*ok'
keys q
wait_for "[exited 0]"
"$CROSSBENCH" inspect --target $W hgo/target/$W/dev/hellogo.dll > dll.txt
assert_contains dll.txt "HelloCountWords"

# C++: a cxx that is not installed, fixed by f.
copy_sample hello-cxx cxx
git config -f cxx/.crossbench target.$A.cxx aarch64-linux-gnu-g++-9
bench cxx
wait_for "$A"
keys G b
wait_row $A failed 180
wait_for "missing-c-compiler" 30
wait_for "fix (f): set cxx = aarch64-linux-gnu-g++ for $A"
snap 3-nogxx
keys f
wait_for "then rebuild? [y/n]"
keys y
wait_row $A passed 180
assert_eq "$(git config -f cxx/.crossbench target.$A.cxx)" aarch64-linux-gnu-g++ "cxx in .crossbench"
snap 4-cxx
keys q
wait_for "[exited 0]"
