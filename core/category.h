/* category.h - the kinds of cross-build failure a diagnosis can name.
 *
 * The names are part of crossbench's interface (JSON output, rule files,
 * tests), so they never change once released.  One X-macro list gives the
 * enum, the names and the one-line help the TUI and the man page show.
 */
#ifndef CB_CATEGORY_H
#define CB_CATEGORY_H

/* X(ENUM, "name", "one line of help") */
#define CATEGORY_LIST(X) \
	X(MISSING_C_COMPILER,     "missing-c-compiler",     "a build script needs a C compiler for the target and it is not installed") \
	X(LINKER_NOT_FOUND,       "linker-not-found",       "the linker rustc was told to use does not exist on PATH") \
	X(WRONG_LINKER_FORMAT,    "wrong-linker-format",    "the link mixes architectures: a host linker, or an object built for the wrong machine") \
	X(HOST_LINKER_USED,       "host-linker-used",       "the host's linker got a target's options it does not understand") \
	X(MISSING_LIBGCC_S,       "missing-libgcc_s",       "the bare ld was used as linker, so libgcc_s and the C runtime are not found") \
	X(MISSING_TARGET_HEADERS, "missing-target-headers", "the C compiler has no C library headers for the target") \
	X(TARGET_STD_MISSING,     "target-std-missing",     "the Rust standard library for the target is not installed for this rustc") \
	X(PKG_CONFIG_CROSS,       "pkg-config-cross",       "pkg-config is not set up for the target, or answered for the host") \
	X(OPENSSL_SYS_CROSS,      "openssl-sys-cross",      "openssl-sys found no OpenSSL built for the target") \
	X(MACOS_SDK,              "macos-sdk",              "building for Apple needs the macOS SDK (osxcross), and it is missing or too old") \
	X(GLIBC_TOO_NEW,          "glibc-too-new",          "the binary needs a newer glibc than the machine running it has") \
	X(WINDOWS_DLL_MISSING,    "windows-dll-missing",    "a Windows DLL, or its import library, is missing") \
	X(UNDEFINED_REFERENCE,    "undefined-reference",    "the link left symbols undefined: a library is missing from the link") \
	X(WRONG_AR,               "wrong-ar",               "the archiver for the target is missing or wrong") \
	X(CMAKE_CROSS,            "cmake-cross",            "CMake, run by a build script, is not set up for the target") \
	X(BINDGEN_CROSS,          "bindgen-cross",          "bindgen's libclang parsed headers without the target's sysroot") \
	X(BUILD_LOCK_CONTENTION,  "build-lock-contention",  "two cargo processes share a build directory and wait for each other") \
	X(JOBSERVER,              "jobserver",              "the GNU make jobserver passed to cargo or make is broken") \
	X(MISSING_BUILD_TOOL,     "missing-build-tool",     "a build script runs a host program (protoc, cmake, nasm, perl, libclang, dlltool) that is not installed") \
	X(CRATE_UNAVAILABLE,      "crate-unavailable",      "cargo is offline or vendored, and a crate it needs is not in the local registry or vendor directory") \
	X(FLAGS_LEAK,             "flags-leak",             "settings meant for the target (RUSTFLAGS, CC) reached host builds: build scripts and proc macros") \
	X(ANDROID_NDK,            "android-ndk",            "Android NDK r23 and later have no libgcc: the link must use libunwind") \
	X(CXX_RUNTIME,            "cxx-runtime",            "the C++ code and its runtime disagree: libc++ against libstdc++, MinGW's thread model, a C++ runtime DLL") \
	X(OUTLINE_ATOMICS,        "outline-atomics",        "aarch64 C code calls libgcc's outline atomics (__aarch64_ldadd4_acq_rel) and the link has no libgcc") \
	X(CRATE_REJECTS_TARGET,   "crate-rejects-target",   "a crate refuses the target until told how to support it (getrandom on wasm32)") \
	X(RUNNER_MISSING,         "runner-missing",         "the target's programs need a runner (qemu-user, wine) to start on this machine, and none is set or installed") \
	X(LOADER_MISSING,         "loader-missing",         "the program's dynamic loader or a shared library it needs is not on the machine, or not in the runner's sysroot (qemu -L)") \
	X(TARGET_LIBRARY_MISSING, "target-library-missing", "the link needs a C library (-lz) built for the target, and none is installed") \
	X(CPU_FEATURES,           "cpu-features",           "the program uses instructions the CPU running it (or the emulator's CPU model) does not have") \
	X(CGO_DISABLED,           "cgo-disabled",           "cgo is off (CGO_ENABLED=0) for a Go build, so the files that import \"C\" are left out") \
	X(WRONG_C_COMPILER,       "wrong-c-compiler",       "the C compiler builds for another machine than the target: the host's gcc, or a cross gcc for another target") \
	X(GO_VERSION,             "go-version",             "go.mod asks for a newer Go than the one installed") \
	X(OTHER,                  "other",                  "an error no rule knows more about")

enum category {
#define X(e, name, help) CATEGORY_##e,
	CATEGORY_LIST(X)
#undef X
	CATEGORY_COUNT
};

/* The name of c ("missing-c-compiler"); "other" for an out-of-range c. */
const char *category_name(enum category c);

/* The one-line help of c. */
const char *category_help(enum category c);

/* Look a category up by name; returns -1 when there is no such category. */
int category_lookup(const char *name);

#endif
