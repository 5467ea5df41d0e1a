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
