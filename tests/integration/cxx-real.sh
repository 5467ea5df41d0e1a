# cxx-real.sh - C++ through cc-rs with Debian's toolchains (issue 16, part
# one): samples/hello-cxx (a C++ class, std::string, std::thread) builds
# for the host, x86_64-pc-windows-gnu (g++-mingw-w64-x86-64-posix) and
# aarch64-unknown-linux-gnu (g++-aarch64-linux-gnu); the artifacts carry
# their C++ runtime (libstdc++.so.6 and GLIBCXX_/CXXABI_ for ELF,
# libstdc++-6.dll for PE, named until it sits beside the .exe); the
# windows program under wine fails for its missing libstdc++-6.dll, and
# runs with the diagnosis's fix (a static libstdc++ through CXXSTDLIB) or
# with the runtime DLLs copied beside it; a cross g++
# that is not installed is named by the doctor with its package, and the
# build's failure is diagnosed with the fix.
. "$TESTLIB/common.sh"
W=x86_64-pc-windows-gnu
A=aarch64-unknown-linux-gnu
H=x86_64-unknown-linux-gnu
for p in /usr/bin/cargo x86_64-w64-mingw32-g++-posix aarch64-linux-gnu-g++ /usr/lib/wine/wine64; do
	command -v $p >/dev/null || fail "$p is missing: .ci/deps test installs it"
done
export XDG_CONFIG_HOME="$PWD/xdg" HOME="$PWD"
cb() { clean_env XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "$CROSSBENCH" "$@"; }
copy_sample hello-cxx app

cb build -C app --trust --target $H --target $W --target $A --json > all.json 2> err.txt
assert_eq "$?" 0 "hello-cxx for three targets: $(cat err.txt)"
art() { json_get all.json "[x for x in j['results'] if x['target']=='$1'][0]['artifacts'][0]"; }
ea=$(art $A); pw=$(art $W); eh=$(art $H)
"$eh" > host.txt || fail "the host program"
assert_contains host.txt "hello from C++, cross"

cb inspect --json --target $A "$ea" > a.json
assert_eq "$(json_get a.json "j['artifacts'][0]['machine']")" aarch64
assert_eq "$(json_get a.json "'libstdc++.so.6' in j['artifacts'][0]['needed']")" True "aarch64 needs libstdc++"
case $(json_get a.json "j['artifacts'][0]['glibcxx_max']") in 3.4.*) ;; *) fail "no GLIBCXX_ version: $(cat a.json | head -c 600)" ;; esac
case $(json_get a.json "j['artifacts'][0]['cxxabi_max']") in 1.3.*) ;; *) fail "no CXXABI_ version" ;; esac
cb inspect --target $A "$ea" > a.txt
assert_contains a.txt "GLIBCXX_3.4."

cb inspect --target $W "$pw" > w.txt
assert_contains w.txt "libstdc++-6.dll"
assert_contains w.txt "imports libstdc++-6.dll, a MinGW runtime DLL that Windows does not have, and it is not beside the program"
# Beside it, it is no longer a warning.
cp "$(x86_64-w64-mingw32-g++-posix -print-file-name=libstdc++-6.dll)" "$(dirname "$pw")/"
cb inspect --target $W "$pw" > w2.txt
assert_not_contains w2.txt "libstdc++-6.dll, a MinGW runtime DLL"
rm "$(dirname "$pw")/libstdc++-6.dll"

# Under wine without the DLL: the smoke run fails, the diagnosis says why.
cb build -C app --trust --target $W --smoke --json > smoke.json 2> err.txt
assert_eq "$?" 1 "the smoke run without libstdc++-6.dll"
assert_eq "$(json_get smoke.json "j['results'][0]['smoke']['diagnoses'][0]['category']")" cxx-runtime
assert_contains "$(json_get smoke.json "j['results'][0]['smoke']['diagnoses'][0]['summary']")" "libstdc++-6.dll"
fix=$(json_get smoke.json "[f['value'] for f in j['results'][0]['smoke']['diagnoses'][0]['fixes'] if f.get('kind')=='set'][0]")
assert_eq "$fix" "CXXSTDLIB_x86_64_pc_windows_gnu=static=stdc++" "the fix"
# One way: the DLLs beside the .exe.
pw=$(json_get smoke.json "j['results'][0]['artifacts'][0]")
for dll in libstdc++-6.dll libgcc_s_seh-1.dll; do
	cp "$(x86_64-w64-mingw32-g++-posix -print-file-name=$dll)" "$(dirname "$pw")/"
done
cp /usr/x86_64-w64-mingw32/lib/libwinpthread-1.dll "$(dirname "$pw")/"
cb build -C app --trust --target $W --smoke --json > smoke2.json 2> err.txt
assert_eq "$?" 0 "the smoke run with the DLLs beside it: $(cat err.txt)"
assert_contains "$(json_get smoke2.json "j['results'][0]['smoke']['log']")" "hello from C++, cross"
cb inspect --target $W "$pw" > w3.txt
assert_not_contains w3.txt "a MinGW runtime DLL"
rm "$(dirname "$pw")"/*.dll

# The diagnosis's way, as f applies it: a static libstdc++ through
# cc-rs's CXXSTDLIB.  cc 1.0.73 does not declare the variable, so cargo
# would keep its build script's old output; crossbench sees the variables
# changed and has the build scripts run again.
git config -f app/.crossbench --add target.$W.env "$fix"
cb build -C app --trust --target $W --smoke --json > static.json 2> err.txt
assert_eq "$?" 0 "the smoke run with the static runtime: $(cat err.txt)"
assert_contains "$(json_get static.json "j['results'][0]['log']")" "the packages with build scripts are built again"
assert_contains "$(json_get static.json "j['results'][0]['smoke']['log']")" "hello from C++, cross"
cb inspect --target $W "$(json_get static.json "j['results'][0]['artifacts'][0]")" > ws.txt
assert_not_contains ws.txt "libstdc++-6.dll"
# The same settings again: no second run of the build scripts.
cb build -C app --trust --target $W --json > again.json 2> err.txt
assert_not_contains "$(json_get again.json "j['results'][0]['log']")" "the packages with build scripts are built again"

# A cross g++ that is not installed: PATH without it.
bin_without nogxx 'aarch64-linux-gnu-g++*' 'aarch64-linux-gnu-c++*'
nog() { env -i HOME="$HOME" PATH="$PWD/nogxx" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "$CROSSBENCH" "$@"; }
nog doctor -C app --trust --target $A > doc.txt 2>&1
assert_contains doc.txt "aarch64-linux-gnu-g++"
assert_contains doc.txt "g++-aarch64-linux-gnu"
touch app/src/greeter.cpp   # the C++ is compiled again
nog build -C app --trust --target $A --json > nog.json 2> err.txt
assert_eq "$?" 1 "a build without the cross g++"
d="j['results'][0]['diagnoses'][0]"
assert_eq "$(json_get nog.json "$d['category']")" missing-c-compiler
assert_contains "$(json_get nog.json "$d['summary']")" "aarch64-linux-gnu-g++"
assert_contains "$(json_get nog.json "[f.get('packages') for f in $d['fixes']]")" "g++-aarch64-linux-gnu"
assert_not_contains "$(json_get nog.json "[f.get('text') for f in $d['fixes']]")" "Windows" "an aarch64 fix about MinGW"
exit 0
