# go-real.sh - Go with cgo as a C shared library, with Debian's Go 1.19
# and cross compilers (issue 16, part two): samples/hello-go builds with
# -buildmode c-shared for the host, aarch64-unknown-linux-gnu and
# x86_64-pc-windows-gnu; each library is the right binary (file(1) agrees),
# exports the //export functions its header declares, and the host one
# really works from C.  Then the failures people hit: cgo off (CGO_ENABLED=0
# in the environment), the host gcc given the target's build, the cross gcc
# not installed - each diagnosed with its fix, and the fix makes it build.
# A failing Go target never stops a Rust target beside it.
. "$TESTLIB/common.sh"
W=x86_64-pc-windows-gnu
A=aarch64-unknown-linux-gnu
H=x86_64-unknown-linux-gnu
for p in go /usr/bin/cargo x86_64-w64-mingw32-gcc aarch64-linux-gnu-gcc gcc file; do
	command -v $p >/dev/null || fail "$p is missing: .ci/deps test installs it"
done
export XDG_CONFIG_HOME="$PWD/xdg" HOME="$PWD"
cb() { clean_env XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "$CROSSBENCH" "$@"; }
copy_sample hello-go app
first() { json_get "$1" "[x for x in j['results'] if x['target']=='$2'][0]$3"; }

cb build -C app --trust --target $H --target $W --target $A --json > all.json 2> err.txt
assert_eq "$?" 0 "hello-go for three targets: $(cat err.txt)"
sa=$(first all.json $A "['artifacts'][0]")
sw=$(first all.json $W "['artifacts'][0]")
sh_=$(first all.json $H "['artifacts'][0]")
file "$sa" | grep -q "ELF 64-bit LSB shared object, ARM aarch64" || fail "aarch64: $(file "$sa")"
file "$sw" | grep -q "PE32+ executable (DLL).*x86-64" || fail "windows: $(file "$sw")"
file "$sh_" | grep -q "ELF 64-bit LSB shared object, x86-64" || fail "host: $(file "$sh_")"
# The header Go wrote beside each, declaring the //export functions.
for lib in "$sa" "$sw" "$sh_"; do
	h=${lib%.*}.h
	[ -f "$h" ] || fail "no header beside $lib"
	assert_contains "$h" "HelloCountWords"
done
# The log shows how go was run.
assert_contains "$(first all.json $A "['log']")" "GOOS=linux GOARCH=arm64 CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc"
assert_contains "$(first all.json $A "['log']")" "go build -buildmode=c-shared"

# What inspect reads: the exports, checked against the header.
for t in $A $W; do
	lib=$([ $t = $A ] && echo "$sa" || echo "$sw")
	cb inspect --json --target $t "$lib" > i.json
	ex=$(json_get i.json "' '.join(j['artifacts'][0]['exports'])")
	for f in HelloGreet HelloFree HelloCountWords; do
		case " $ex " in *" $f "*) ;; *) fail "$t: $f not among the exports: $ex" ;; esac
	done
	assert_eq "$(json_get i.json "j['artifacts'][0]['matches']")" True "$t library checked"
	cb inspect --target $t "$lib" > i.txt
	assert_contains i.txt "HelloCountWords"
done
# The build's own check of each library: the right binary, and every
# function the header declares exported.
for t in $A $W $H; do
	assert_eq "$(first all.json $t "['artifacts_ok']")" True "$t artifact check"
	assert_eq "$(first all.json $t "['artifact_checks'][0]['problems']")" "[]" "$t problems"
done

# The host library works, called from C through its header.
cat > use.c <<'C'
#include <stdio.h>
#include "libhellogo.h"
int main(void)
{
	char text[] = "one two three";
	char *g = HelloGreet("C");
	printf("%s %d\n", g, HelloCountWords(text, sizeof text - 1));
	HelloFree(g);
	return 0;
}
C
gcc -o use use.c -I"$(dirname "$sh_")" -L"$(dirname "$sh_")" -lhellogo || fail "linking against the host library"
LD_LIBRARY_PATH=$(dirname "$sh_") ./use > use.txt || fail "calling the library"
assert_eq "$(cat use.txt)" "hello, C 3" "what the library answered"

# cgo off, as a CI image's CGO_ENABLED=0 makes it: diagnosed, and the
# fix (an env setting, which wins over the environment) builds.
clean_env XDG_CONFIG_HOME="$XDG_CONFIG_HOME" CGO_ENABLED=0 "$CROSSBENCH" build -C app --trust \
	--target $A --json > nocgo.json 2> err.txt
assert_eq "$?" 1 "a build with cgo off"
d="['diagnoses'][0]"
assert_eq "$(first nocgo.json $A "$d['category']")" cgo-disabled
assert_contains "$(json_get nocgo.json "[f.get('value') for f in j['results'][0]$d['fixes']]")" "CGO_ENABLED=1"
git config -f app/.crossbench --add target.$A.env CGO_ENABLED=1
clean_env XDG_CONFIG_HOME="$XDG_CONFIG_HOME" CGO_ENABLED=0 "$CROSSBENCH" build -C app --trust \
	--target $A --json > cgo.json 2> err.txt
assert_eq "$?" 0 "the build with the fix: $(cat err.txt)"

# No cc for aarch64: go runs the host's gcc, which cannot build for it.
git config -f app/.crossbench --unset target.$A.cc
cb doctor -C app --trust --target $A > doc.txt 2>&1
assert_contains doc.txt "aarch64-linux-gnu-gcc"
cb build -C app --trust --target $A --json > host.json 2> err.txt
assert_eq "$?" 1 "a build through the host gcc"
assert_eq "$(first host.json $A "$d['category']")" wrong-c-compiler
fix=$(json_get host.json "[f['value'] for f in j['results'][0]$d['fixes'] if f.get('kind')=='set'][0]")
assert_eq "$fix" "aarch64-linux-gnu-gcc" "the cc fix"
git config -f app/.crossbench target.$A.cc "$fix"
cb build -C app --trust --target $A --json > fixed.json 2> err.txt
assert_eq "$?" 0 "the build with cc set: $(cat err.txt)"

# The cross gcc not installed: PATH without it.
bin_without nogcc 'aarch64-linux-gnu-gcc*'
nog() { env -i HOME="$HOME" PATH="$PWD/nogcc" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "$CROSSBENCH" "$@"; }
nog doctor -C app --trust --target $A > doc2.txt 2>&1
assert_contains doc2.txt "aarch64-linux-gnu-gcc: not found"
assert_contains doc2.txt "gcc-aarch64-linux-gnu"
nog build -C app --trust --target $A --json > nocc.json 2> err.txt
assert_eq "$?" 1 "a build without the cross gcc"
assert_eq "$(first nocc.json $A "$d['category']")" missing-c-compiler
assert_contains "$(json_get nocc.json "[f.get('packages') for f in j['results'][0]$d['fixes']]")" "gcc-aarch64-linux-gnu"

# Go beside Rust in one project: the Go row (kind = go) fails, the Rust
# rows pass all the same.
copy_sample hello-pure mixed
cp app/go.mod app/hello.go mixed/
cat >> mixed/.crossbench <<EOC
[target "$H"]
[target "$A"]
	kind = go
	buildmode = c-shared
	cc = aarch64-linux-gnu-gcc
	env = CGO_ENABLED=0
EOC
cb build -C mixed --trust --target $H --target $A --json > mixed.json 2> err.txt
assert_eq "$?" 1 "one failing target"
assert_eq "$(first mixed.json $H "['status']")" passed "the Rust target beside a failing Go one"
assert_eq "$(first mixed.json $A "['status']")" failed
assert_eq "$(first mixed.json $A "$d['category']")" cgo-disabled
exit 0
