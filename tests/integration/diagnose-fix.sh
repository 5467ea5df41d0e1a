# diagnose-fix.sh - the fix crossbench shows makes the next build pass.
#
# Real failing builds of the samples (Debian's cargo, offline), then
# `crossbench diagnose --json`, then every "set" fix of the first diagnosis
# applied as the environment variable cargo and cc-rs read for it, then the
# same build again: it must pass.  crossbench build will apply fixes
# through the config; the variables here are the ones it sets.
. "$TESTLIB/common.sh"
[ -x /usr/bin/cargo ] || skip "no /usr/bin/cargo"
[ -d /usr/lib/rustlib/aarch64-unknown-linux-gnu/lib ] || skip "no aarch64 std (libstd-rust-dev:arm64)"
[ -d /usr/lib/rustlib/x86_64-pc-windows-gnu/lib ] || skip "no windows std (libstd-rust-dev-windows)"
command -v aarch64-linux-gnu-gcc >/dev/null || skip "no aarch64-linux-gnu-gcc"
command -v x86_64-w64-mingw32-gcc >/dev/null || skip "no x86_64-w64-mingw32-gcc"

P=/usr/sbin:/usr/bin:/sbin:/bin
A=aarch64-unknown-linux-gnu
W=x86_64-pc-windows-gnu

# fix_env JSON: the first diagnosis's set fixes as NAME=VALUE lines.
fix_env() {
	python3 - "$1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
d = j["diagnoses"][0]
for f in d["fixes"]:
    if f["kind"] != "set":
        continue
    t = f["target"]
    up = t.upper().replace("-", "_").replace(".", "_")
    lo = t.replace("-", "_")
    k, v = f["key"], f["value"]
    if k == "linker":   print("CARGO_TARGET_%s_LINKER=%s" % (up, v))
    elif k == "cc":     print("CC_%s=%s" % (lo, v))
    elif k == "cxx":    print("CXX_%s=%s" % (lo, v))
    elif k == "ar":     print("AR_%s=%s" % (lo, v))
    elif k == "rustflags": print("CARGO_TARGET_%s_RUSTFLAGS=%s" % (up, v))
    elif k == "env":    print(v)
    else: sys.exit("cannot apply key %s" % k)
PY
}

# fix_runs JSON: the first diagnosis's cargo commands (cargo clean ...).
fix_runs() {
	python3 - "$1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
for f in j["diagnoses"][0]["fixes"]:
    if f["kind"] == "run" and f["argv"][0] == "cargo":
        print(" ".join(f["argv"][1:]))
PY
}

n=0
# case NAME SAMPLE TARGET CATEGORY ENV...: fail, diagnose, fix, pass.
case_() {
	name=$1 sample=$2 target=$3 want=$4; shift 4
	n=$((n + 1))
	copy_sample "$sample" "$name/src"
	(cd "$name/src" && env -i HOME="$HOME" PATH=$P "$@" CARGO_TARGET_DIR="$TESTTMP/$name/t" \
		/usr/bin/cargo build --target "$target") > "$name/fail.log" 2>&1 &&
		fail "$name: the build was meant to fail"
	"$CROSSBENCH" diagnose --json --pm apt "$name/fail.log" > "$name/d.json" ||
		fail "$name: diagnose exited $?"
	got=$(json_get "$name/d.json" 'j["diagnoses"][0]["category"]')
	assert_eq "$got" "$want" "$name: category"
	fix_env "$name/d.json" > "$name/fix.env" || fail "$name: no fix to apply"
	[ -s "$name/fix.env" ] || fail "$name: no set fix in $(cat "$name/d.json")"
	# The failing build's environment, with the fix's variables replacing
	# any of the same name.
	envs=""
	for kv in "$@"; do
		grep -q "^${kv%%=*}=" "$name/fix.env" || envs="$envs $kv"
	done
	fixes=$(cat "$name/fix.env")
	fix_runs "$name/d.json" | while read -r args; do
		# shellcheck disable=SC2086
		(cd "$name/src" && env -i HOME="$HOME" PATH=$P CARGO_TARGET_DIR="$TESTTMP/$name/t" \
			/usr/bin/cargo $args) >> "$name/run.log" 2>&1 || fail "$name: cargo $args failed"
	done
	# shellcheck disable=SC2086
	(cd "$name/src" && env -i HOME="$HOME" PATH=$P $envs $fixes \
		CARGO_TARGET_DIR="$TESTTMP/$name/t" /usr/bin/cargo build --target "$target") \
		> "$name/pass.log" 2>&1 ||
		{ tail -n 30 "$name/pass.log"; fail "$name: still fails after applying $(cat "$name/fix.env")"; }
	echo "ok $name: $want fixed by $(tr '\n' ' ' < "$name/fix.env")"
}

case_ host-ld     hello-pure $A wrong-linker-format
case_ bare-ld     hello-pure $A missing-libgcc_s CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-ld
case_ host-cc     hello-cc   $A wrong-linker-format CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc CC_aarch64_unknown_linux_gnu=gcc
case_ no-ar       hello-cc   $A wrong-ar CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar-missing
case_ win-host-ld hello-pure $W host-linker-used CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=gcc
case_ winapi      hello-ring $W windows-dll-missing
echo "$n builds fixed"
