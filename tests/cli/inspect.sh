. "$TESTLIB/common.sh"
# inspect.sh - crossbench inspect's promises: a file(1)-like line per file,
# checks against --target, the exit status, JSON, and clear errors.
command -v readelf >/dev/null 2>&1 || skip "readelf is not installed"
FIX=$TOP/tests/fixtures/bin

# The glibc a Linux binary needs, as readelf -V says it.
need=$(readelf -VW "$FIX/hello-riscv64" | grep -o 'GLIBC_[0-9][0-9.]*' | sort -V | tail -n 1)
[ -n "$need" ] || fail "readelf found no GLIBC_ version in hello-riscv64"
"$CROSSBENCH" inspect "$FIX/hello-riscv64" >out.txt || fail "inspect exited $? without a target"
assert_contains out.txt "$FIX/hello-riscv64: ELF 64-bit LSB"
assert_contains out.txt ", $need,"
[ "$(wc -l <out.txt)" = 1 ] || fail "without --target only the description: $(cat out.txt)"

# A shared library: a second line with what it exports, as nm -D says.
if command -v nm >/dev/null 2>&1; then
	want=$(nm -D --defined-only "$FIX/libhello-x86_64.so" | awk '$2 ~ /^[TDBRVWu]$/ { print $3 }' | sort | tr '\n' ' ')
	[ "$want" = "hello_len " ] || fail "nm sees other exports in libhello-x86_64.so: $want (fixture changed?)"
fi
"$CROSSBENCH" inspect "$FIX/libhello-x86_64.so" >out.txt || fail "inspect of a library exited $?"
assert_contains out.txt "  exports: 1 (hello_len)"
[ "$(wc -l <out.txt)" = 2 ] || fail "a library: description and exports: $(cat out.txt)"
"$CROSSBENCH" inspect --json "$FIX/hello-x86_64.dll" >out.json
assert_eq "$(json_get out.json 'j["artifacts"][0]["exports"]')" '["hello_len"]' "DLL exports"
assert_eq "$(json_get out.json 'j["artifacts"][0]["exports_total"]')" "1" "DLL exports_total"

# Right target: exit 0 and "ok"; above the glibc-max it will not run
# where it must, so it fails (exit 1), naming each version and its symbols.
assert_status 0 "$CROSSBENCH" inspect --target riscv64gc-unknown-linux-gnu "$FIX/hello-riscv64" >out.txt
assert_contains out.txt "ok: a binary for riscv64gc-unknown-linux-gnu"
assert_status 1 "$CROSSBENCH" inspect --target riscv64gc-unknown-linux-gnu --glibc-max 2.17 \
	"$FIX/hello-riscv64" >out.txt
assert_contains out.txt "mismatch: needs $need ("
assert_contains out.txt "above the glibc-max 2.17"
# A distribution as the floor: its glibc; a newer one passes.
assert_status 1 "$CROSSBENCH" inspect --target riscv64gc-unknown-linux-gnu --glibc-max centos-7 \
	"$FIX/hello-riscv64" >out.txt
assert_contains out.txt "above centos-7's glibc 2.17"
assert_status 0 "$CROSSBENCH" inspect --target riscv64gc-unknown-linux-gnu --glibc-max debian-12 \
	"$FIX/hello-riscv64" >out.txt
assert_not_contains out.txt "needs GLIBC_"

# Wrong target: exit 1, and it says what is wrong.
assert_status 1 "$CROSSBENCH" inspect --target x86_64-unknown-linux-gnu "$FIX/rust-hello-aarch64" >out.txt
assert_contains out.txt "mismatch: machine is aarch64, x86_64-unknown-linux-gnu needs x86_64"
assert_status 1 "$CROSSBENCH" inspect --target aarch64-apple-darwin "$FIX/rust-hello-x86_64.exe" >out.txt
assert_contains out.txt "mismatch: format is PE32+"
assert_status 1 "$CROSSBENCH" inspect --target x86_64-pc-windows-gnu "$FIX/win-i686.exe" >out.txt
assert_contains out.txt "32-bit, x86_64-pc-windows-gnu needs 64-bit"

# A Windows program that needs libgcc_s_seh-1.dll: matches, with a warning.
command -v objdump >/dev/null 2>&1 || skip "objdump is not installed"
objdump -p "$FIX/cxx-x86_64.exe" | grep -q 'DLL Name: libgcc_s_seh-1.dll' ||
	fail "objdump does not see libgcc_s_seh-1.dll in cxx-x86_64.exe: fixture changed?"
assert_status 0 "$CROSSBENCH" inspect --target x86_64-pc-windows-gnu "$FIX/cxx-x86_64.exe" >out.txt
assert_contains out.txt "warning: imports libgcc_s_seh-1.dll, a MinGW runtime DLL"
assert_not_contains out.txt "mismatch"
assert_status 0 "$CROSSBENCH" inspect --target x86_64-pc-windows-gnu "$FIX/win-x86_64.exe" >out.txt
assert_not_contains out.txt "warning"

# An interpreter that is not the target's.
assert_status 1 "$CROSSBENCH" inspect --target aarch64-unknown-linux-gnu "$FIX/hello-aarch64-badinterp" >out.txt
assert_contains out.txt "mismatch: interpreter /lib64/ld-linux-x86-64.so.2 is another system's loader, not aarch64-unknown-linux-gnu's (/lib/ld-linux-aarch64.so.1)"

# Options may follow the files, as with GNU tools.
assert_status 0 "$CROSSBENCH" inspect "$FIX/hello-arm64-macos" --target aarch64-apple-darwin >out.txt
assert_contains out.txt "warning: links @rpath/libhello.dylib, outside /usr/lib and /System"

# Several files: one line each; any mismatch makes the status 1.
assert_status 1 "$CROSSBENCH" inspect --target aarch64-unknown-linux-gnu \
	"$FIX/hello-aarch64" "$FIX/hello-x86_64" >out.txt
[ "$(grep -c "^$FIX/" out.txt)" = 2 ] || fail "expected two file lines: $(cat out.txt)"

# JSON: the schema's keys, real booleans and nulls.
"$CROSSBENCH" inspect --json --target x86_64-pc-windows-gnu "$FIX/cxx-x86_64.exe" "$FIX/hello-x86_64" >out.json
assert_eq $? 1 "status of --json with one mismatch"
assert_eq "$(json_get out.json 'sorted(set(["path","format","machine","bits","endian","os","kind","interpreter","needed","glibc_max","static","stripped","debug_info","subsystem","min_os","slices","summary","target","matches","problems"]) - set(j["artifacts"][0]))')" "[]" "missing keys"
assert_eq "$(json_get out.json 'j["artifacts"][0]["matches"]')" "True"
assert_eq "$(json_get out.json 'j["artifacts"][0]["format"]')" "pe"
assert_eq "$(json_get out.json 'j["artifacts"][0]["subsystem"]')" "console"
assert_eq "$(json_get out.json 'j["artifacts"][0]["summary"]')" "PE32+ x86_64 console"
assert_eq "$(json_get out.json 'j["artifacts"][1]["matches"]')" "False"
assert_eq "$(json_get out.json 'j["artifacts"][1]["subsystem"]')" "None"
assert_eq "$(json_get out.json 'any("libgcc_s_seh-1.dll" in p for p in j["artifacts"][0]["problems"])')" "True"
"$CROSSBENCH" inspect --json "$FIX/free-universal-macos.o" >fat.json
assert_eq "$(json_get fat.json '[s["machine"] for s in j["artifacts"][0]["slices"]]')" '["x86_64", "aarch64"]'
assert_eq "$(json_get fat.json 'j["artifacts"][0]["matches"]')" "None"

# Not a binary: described, fine without a target, a mismatch with one.
printf '#!/bin/sh\necho hi\n' >script.sh
assert_status 0 "$CROSSBENCH" inspect script.sh >out.txt
assert_contains out.txt "script.sh: not a binary"
assert_status 1 "$CROSSBENCH" inspect --target x86_64-unknown-linux-gnu script.sh >/dev/null

# A malformed file says so, and is not "ok".
head -c 200 "$FIX/hello-x86_64" >cut
assert_status 1 "$CROSSBENCH" inspect cut >out.txt
assert_contains out.txt "malformed:"

# Unreadable input and bad usage: 2, with a message naming the file.
"$CROSSBENCH" inspect "$FIX/hello-x86_64" no-such-file >out.txt 2>err.txt
assert_eq $? 2 "status for a missing file"
assert_contains err.txt "no-such-file"
assert_contains out.txt "hello-x86_64: ELF"
assert_status 2 "$CROSSBENCH" inspect 2>/dev/null
assert_status 2 "$CROSSBENCH" inspect --target nonsense-triple-x-y-z "$FIX/hello-x86_64" 2>err.txt
assert_contains err.txt "--target"
assert_status 2 "$CROSSBENCH" inspect --glibc-max two "$FIX/hello-x86_64" 2>err.txt
assert_contains err.txt "neither a version like 2.17 nor a distribution (centos-7"
assert_status 2 "$CROSSBENCH" inspect --bogus "$FIX/hello-x86_64" 2>/dev/null
assert_status 2 "$CROSSBENCH" inspect . 2>/dev/null
# A file name that is not UTF-8 keeps its "path" in the JSON (jansson
# refuses such strings; the invalid byte is written as \xFF).
bad=$(printf 'bad\377name')
cp "$TOP/tests/fixtures/bin/hello-x86_64" "$bad"
"$CROSSBENCH" inspect --json "$bad" > bad.json
assert_eq "$(json_get bad.json 'j["artifacts"][0]["path"]')" 'bad\xFFname' "path of a non-UTF-8 name"
exit 0
