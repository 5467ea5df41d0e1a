# smoke-real.sh - issue 12's check on a real project: hello-ring built for
# aarch64 with Debian's cargo, checked against a distribution floor, and
# started under qemu-aarch64; the windows-gnu build started under wine
# where wine is installed (.ci/deps test installs wine64).
#  - floor = centos-7: the artifact check fails, naming each GLIBC version
#    above glibc 2.17 with the symbols that need it;
#  - floor = debian-12: it passes;
#  - the smoke run prints the program's own first line.
. "$TESTLIB/common.sh"
[ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/aarch64-unknown-linux-gnu ] ||
	fail "Debian's cargo and the aarch64 std are missing: run 'make check' (it installs them) or .ci/deps test"
command -v qemu-aarch64 > /dev/null || fail "qemu-aarch64 is missing (qemu-user): .ci/deps test installs it"
copy_sample hello-ring app
A=aarch64-unknown-linux-gnu W=x86_64-pc-windows-gnu
git config -f app/.crossbench target.$A.linker aarch64-linux-gnu-gcc
git config -f app/.crossbench target.$A.runner "qemu-aarch64 -L /usr/aarch64-linux-gnu"
git config -f app/.crossbench target.$A.floor centos-7
wine=""
for w in /usr/lib/wine/wine64 wine64; do command -v "$w" > /dev/null && { wine=$(command -v "$w"); break; }; done
targets="--target $A"
if [ -n "$wine" ]; then
	git config -f app/.crossbench target.$W.runner "$wine"
	# A first run creates the wine prefix, which takes a while.
	git config -f app/.crossbench target.$W.smoke-timeout 180
	targets="$targets --target $W"
fi
export CARGO_HOME="$PWD/cargo-home" XDG_CONFIG_HOME="$PWD/xdg"
# shellcheck disable=SC2086
run() { clean_env CARGO_HOME="$CARGO_HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" HOME="$PWD" \
	WINEPREFIX="$PWD/wine" "$CROSSBENCH" build -C app $targets --smoke --json; }
run > centos.json 2> err.txt
assert_eq "$?" 1 "exit status with an artifact above the floor"
r="[r for r in j['results'] if r['target']=='$A'][0]"
assert_eq "$(json_get centos.json "$r['status']")" passed "the aarch64 build"
assert_eq "$(json_get centos.json "$r['artifact']")" mismatch "the artifact check against centos-7"
problems=$(json_get centos.json "$r['artifact_checks'][0]['problems']")
assert_contains "$problems" "needs GLIBC_2.34 ("
assert_contains "$problems" "__libc_start_main"
assert_contains "$problems" "above centos-7's glibc 2.17"
# Every version above the floor, not only the highest.
assert_contains "$problems" "needs GLIBC_2.18 ("
# The program runs all the same, under qemu, and says what it is.
assert_eq "$(json_get centos.json "$r['smoke']['status']")" passed "smoke run: $(json_get centos.json "$r['smoke']")"
assert_eq "$(json_get centos.json "$r['smoke']['command'][0]")" qemu-aarch64
assert_contains "$(json_get centos.json "$r['smoke']['output']")" 'hello-ring: arch=aarch64 sha256("hello cross")='
case $(json_get centos.json "$r['smoke']['log']") in */logs/$A-dev-smoke-*.log) ;; *) fail "smoke log" ;; esac
# The program is really an aarch64 one, as file(1) says.
assert_contains "$(file -b "$(json_get centos.json "$r['artifacts'][0]")")" "ARM aarch64"

# Against debian-12 (glibc 2.36) the same artifact passes.
git config -f app/.crossbench target.$A.floor debian-12
run > debian.json 2> err.txt
assert_eq "$?" 0 "exit status against debian-12: $(cat err.txt)"
assert_eq "$(json_get debian.json "$r['artifact']")" ok "the artifact check against debian-12"
assert_eq "$(json_get debian.json "$r['smoke']['status']")" passed

# Windows, under wine.
if [ -n "$wine" ]; then
	w="[r for r in j['results'] if r['target']=='$W'][0]"
	assert_eq "$(json_get debian.json "$w['smoke']['status']")" passed "wine: $(json_get debian.json "$w['smoke']")"
	assert_contains "$(json_get debian.json "$w['smoke']['output']")" "hello-ring: arch=x86_64"
	assert_eq "$(json_get debian.json "$w['smoke']['command'][0]")" "$wine"
else
	echo "wine is not installed: the windows-gnu smoke run was not tried"
fi
exit 0
