/* triple.h - target triples: what they mean and what they must produce.
 *
 * A triple as rustc writes it (`rustc --print target-list`) has 2, 3 or 4
 * parts: wasm32-wasi, aarch64-apple-darwin, thumbv7em-none-eabihf,
 * x86_64-unknown-linux-gnu.  triple_parse() splits it, names the machine in
 * the vocabulary artifact.h uses ("x86_64", "aarch64", "arm", ...) and says
 * which object format, width and byte order its binaries have.
 */
#ifndef CB_TRIPLE_H
#define CB_TRIPLE_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

enum triple_format {
	TRIPLE_FMT_UNKNOWN = 0, /* e.g. nvptx (PTX text), asmjs (JavaScript) */
	TRIPLE_FMT_ELF,
	TRIPLE_FMT_PE,
	TRIPLE_FMT_MACHO,
	TRIPLE_FMT_WASM,
};

enum triple_endian { TRIPLE_LITTLE, TRIPLE_BIG };

#define TRIPLE_MAX 96

struct triple {
	char text[TRIPLE_MAX];      /* as given */
	char arch[32];              /* first part, as written: "armv7" */
	char vendor[32];            /* "unknown", "pc", "apple"; "" if absent */
	char os[32];                /* as written: "darwin", "linux", "none" */
	char env[32];               /* "gnu", "gnueabihf", "msvc"; "" if absent */
	const char *machine;        /* canonical: "x86_64", "aarch64", "arm" */
	const char *os_name;        /* canonical: "linux", "windows", "macos" */
	int bits;                   /* pointer width of the binary: 16/32/64 */
	enum triple_endian endian;
	enum triple_format format;
	const char *exe_suffix;     /* ".exe", ".wasm" or "" */
};

/* Parse text into t.  Accepts any triple rustc lists; rejects empty
 * parts, more than four parts, fewer than two, and characters outside
 * [A-Za-z0-9_.-].  Returns 0, or -1 with err naming the problem. */
int triple_parse(struct triple *t, const char *text, struct cb_err *err);

/* "ELF", "PE", "Mach-O", "wasm" or "unknown". */
const char *triple_format_name(enum triple_format f);

/* True for the GNU/Linux family: os linux, env starting with "gnu". */
int triple_is_linux_gnu(const struct triple *t);

/* The triple in cargo's environment-variable form, upper case with '-' and
 * '.' as '_': CARGO_TARGET_<this>_LINKER.  Writes at most n bytes. */
void triple_cargo_env(const char *triple, char *out, size_t n);

/* The triple in cc-rs's form: '-' as '_', case kept (CC_<this>). */
void triple_cc_env(const char *triple, char *out, size_t n);

/* The GNU toolchain prefix whose gcc builds C for this target, as Debian,
 * Fedora and Arch name their cross compilers: "aarch64-linux-gnu",
 * "arm-linux-gnueabihf", "x86_64-w64-mingw32".  Apple targets give the
 * osxcross stem ("x86_64-apple-darwin", to which osxcross appends an SDK
 * version).  Returns 0 and fills out, or -1 when no GNU-style cross gcc
 * exists for the target (bare metal, msvc, wasm). */
int triple_gnu_prefix(const struct triple *t, char *out, size_t n);

/* What Go calls the target: GOOS, GOARCH and, for 32-bit arm, GOARM.
 * aarch64-unknown-linux-gnu is linux/arm64, armv7-unknown-linux-gnueabihf
 * linux/arm with GOARM=7, x86_64-pc-windows-gnu windows/amd64,
 * aarch64-apple-darwin darwin/arm64; the libc (gnu, musl) is the C
 * compiler's business, not Go's.  goarm is "" for other arches. */
struct triple_go {
	char goos[16];
	char goarch[16];
	char goarm[4];
};

/* Fill g for t.  Returns 0, or -1 when Go has no port for it (bare metal,
 * big-endian aarch64, wasm32-unknown-unknown, msvc is fine: windows). */
int triple_go(const struct triple *t, struct triple_go *g);

/* Whether the triple is the machine this program runs on (compares
 * machine, OS and libc with the build host's).  host_triple is the host's
 * rustc triple, e.g. from `rustc -vV`; NULL compares with the compile-time
 * host guess. */
int triple_is_host(const struct triple *t, const char *host_triple);

/* Append every target rustc knows (`RUSTC --print target-list`) to out;
 * rustc NULL means "rustc" on PATH.  Returns 0 or -1 with err ("rustc:
 * not found"). */
int triple_list_known(const char *rustc, struct strv *out, struct cb_err *err);

/* The compile-time guess of the host triple: "x86_64-unknown-linux-gnu". */
const char *triple_host_default(void);

#endif
