/* triple.c - parse target triples and say what their binaries look like. */
#include "triple.h"

#include "proc.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

/* Second parts that are vendors in a 3-part triple (arch-vendor-os).  Any
 * other second part of a 3-part triple is an OS (arch-os-env), as in
 * aarch64-linux-android or thumbv7em-none-eabihf. */
static const char *const os_first[] = {
	"linux", "none", "nuttx", "rtems", "fuchsia", "cuda", NULL
};

struct arch_info {
	const char *prefix;   /* matched against the arch part */
	int exact;            /* 1: whole arch must equal prefix */
	const char *machine;
	int bits;
	enum triple_endian endian;
};

/* Order matters: longer and more specific prefixes first. */
static const struct arch_info arches[] = {
	{ "x86_64", 0, "x86_64", 64, TRIPLE_LITTLE },   /* also x86_64h */
	{ "i386", 1, "i386", 32, TRIPLE_LITTLE },
	{ "i486", 1, "i386", 32, TRIPLE_LITTLE },
	{ "i586", 1, "i386", 32, TRIPLE_LITTLE },
	{ "i686", 1, "i386", 32, TRIPLE_LITTLE },
	{ "arm64_32", 1, "arm64_32", 32, TRIPLE_LITTLE },
	{ "arm64ec", 1, "aarch64", 64, TRIPLE_LITTLE },
	{ "arm64e", 1, "aarch64", 64, TRIPLE_LITTLE },
	{ "arm64", 1, "aarch64", 64, TRIPLE_LITTLE },
	{ "aarch64_be", 1, "aarch64", 64, TRIPLE_BIG },
	{ "aarch64", 0, "aarch64", 64, TRIPLE_LITTLE },
	{ "armeb", 0, "arm", 32, TRIPLE_BIG },
	{ "arm", 0, "arm", 32, TRIPLE_LITTLE },
	{ "thumb", 0, "arm", 32, TRIPLE_LITTLE },
	{ "riscv64", 0, "riscv64", 64, TRIPLE_LITTLE },
	{ "riscv32", 0, "riscv32", 32, TRIPLE_LITTLE },
	{ "powerpc64le", 1, "powerpc64", 64, TRIPLE_LITTLE },
	{ "powerpc64", 1, "powerpc64", 64, TRIPLE_BIG },
	{ "powerpc", 1, "powerpc", 32, TRIPLE_BIG },
	{ "mipsisa64r6el", 1, "mips64", 64, TRIPLE_LITTLE },
	{ "mipsisa64r6", 1, "mips64", 64, TRIPLE_BIG },
	{ "mipsisa32r6el", 1, "mips", 32, TRIPLE_LITTLE },
	{ "mipsisa32r6", 1, "mips", 32, TRIPLE_BIG },
	{ "mips64el", 1, "mips64", 64, TRIPLE_LITTLE },
	{ "mips64", 1, "mips64", 64, TRIPLE_BIG },
	{ "mipsel", 1, "mips", 32, TRIPLE_LITTLE },
	{ "mips", 1, "mips", 32, TRIPLE_BIG },
	{ "s390x", 1, "s390x", 64, TRIPLE_BIG },
	{ "sparc64", 1, "sparc64", 64, TRIPLE_BIG },
	{ "sparcv9", 1, "sparc64", 64, TRIPLE_BIG },
	{ "sparc", 1, "sparc", 32, TRIPLE_BIG },
	{ "wasm64", 1, "wasm64", 64, TRIPLE_LITTLE },
	{ "wasm32", 0, "wasm32", 32, TRIPLE_LITTLE },  /* also wasm32v1 */
	{ "loongarch64", 1, "loongarch64", 64, TRIPLE_LITTLE },
	{ "loongarch32", 1, "loongarch32", 32, TRIPLE_LITTLE },
	{ "bpfel", 1, "bpf", 64, TRIPLE_LITTLE },
	{ "bpfeb", 1, "bpf", 64, TRIPLE_BIG },
	{ "avr", 1, "avr", 16, TRIPLE_LITTLE },
	{ "msp430", 1, "msp430", 16, TRIPLE_LITTLE },
	{ "hexagon", 1, "hexagon", 32, TRIPLE_LITTLE },
	{ "m68k", 1, "m68k", 32, TRIPLE_BIG },
	{ "csky", 1, "csky", 32, TRIPLE_LITTLE },
	{ "xtensa", 1, "xtensa", 32, TRIPLE_LITTLE },
	{ "nvptx64", 1, "nvptx64", 64, TRIPLE_LITTLE },
	{ "amdgcn", 1, "amdgpu", 64, TRIPLE_LITTLE },
	{ "asmjs", 1, "asmjs", 32, TRIPLE_LITTLE },
	{ NULL, 0, NULL, 0, TRIPLE_LITTLE },
};

static const struct arch_info *find_arch(const char *arch)
{
	for (const struct arch_info *a = arches; a->prefix; a++) {
		if (a->exact ? strcmp(arch, a->prefix) == 0
			     : starts(arch, a->prefix))
			return a;
	}
	return NULL;
}

static const char *canonical_os(const struct triple *t)
{
	static const char *const same[] = {
		"linux", "windows", "ios", "tvos", "watchos", "visionos",
		"freebsd", "netbsd", "openbsd", "dragonfly", "solaris",
		"illumos", "fuchsia", "redox", "haiku", "hermit", "uefi",
		"none", "vxworks", "espidf", "l4re", "nto", "aix", "hurd",
		"teeos", "trusty", "nuttx", "rtems", "horizon", "psp", "psx", "vita",
		"xous", "zkvm", "emscripten", "cuda", "amdhsa", "solid_asp3",
		"helenos", "managarm", "motor", "lynxos178", "qurt", "cygwin",
		"unknown", NULL
	};
	const char *os = t->os;

	if (strcmp(os, "darwin") == 0 || strcmp(os, "macos") == 0)
		return "macos";
	if (starts(os, "wasi"))
		return "wasi";
	if (strcmp(os, "3ds") == 0)
		return "horizon";
	if (strcmp(os, "switch") == 0)
		return "horizon";
	if (strcmp(os, "v5") == 0)
		return "vexos";
	if (strcmp(os, "gnu") == 0)   /* avr-unknown-gnu-atmega328: bare metal */
		return "none";
	if (strcmp(os, "linux") == 0 && starts(t->env, "android"))
		return "android";
	if (strcmp(os, "linux") == 0 && starts(t->env, "ohos"))
		return "ohos";
	for (const char *const *p = same; *p; p++)
		if (strcmp(os, *p) == 0)
			return *p;
	return "unknown";
}

static int copy_part(char *dst, size_t cap, const char *src, size_t len)
{
	if (len == 0 || len >= cap)
		return -1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

int triple_parse(struct triple *t, const char *text, struct cb_err *err)
{
	const char *parts[5];
	size_t lens[5];
	size_t np = 0, len;
	const char *p;
	const struct arch_info *a;

	memset(t, 0, sizeof *t);
	if (!text || !*text)
		return cb_err_set(err, CB_ERR_PARSE, "empty target triple");
	len = strlen(text);
	if (len >= sizeof t->text)
		return cb_err_set(err, CB_ERR_PARSE,
				  "target triple too long (%zu characters)", len);
	for (p = text; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (!isalnum(c) && c != '-' && c != '_' && c != '.')
			return cb_err_set(err, CB_ERR_PARSE,
				"target triple '%s': character '%c' is not allowed",
				text, isprint(c) ? c : '?');
	}
	memcpy(t->text, text, len + 1);

	p = text;
	for (;;) {
		const char *dash = strchr(p, '-');
		size_t l = dash ? (size_t)(dash - p) : strlen(p);

		if (np == 5)
			break;
		parts[np] = p;
		lens[np] = l;
		np++;
		if (!dash)
			break;
		p = dash + 1;
	}
	if (np < 2 || np > 4)
		return cb_err_set(err, CB_ERR_PARSE,
			"target triple '%s': expected 2 to 4 parts separated by '-', "
			"like x86_64-unknown-linux-gnu", text);
	for (size_t i = 0; i < np; i++)
		if (lens[i] == 0)
			return cb_err_set(err, CB_ERR_PARSE,
				"target triple '%s': part %zu is empty", text, i + 1);

	if (copy_part(t->arch, sizeof t->arch, parts[0], lens[0]) < 0)
		goto toolong;
	if (np == 2) {
		if (copy_part(t->os, sizeof t->os, parts[1], lens[1]) < 0)
			goto toolong;
	} else if (np == 3) {
		char second[32];

		if (copy_part(second, sizeof second, parts[1], lens[1]) < 0)
			goto toolong;
		if (in_list(second, os_first) || starts(second, "wasi")) {
			memcpy(t->os, second, sizeof second);
			if (copy_part(t->env, sizeof t->env, parts[2], lens[2]) < 0)
				goto toolong;
		} else {
			memcpy(t->vendor, second, sizeof second);
			if (copy_part(t->os, sizeof t->os, parts[2], lens[2]) < 0)
				goto toolong;
		}
	} else {
		if (copy_part(t->vendor, sizeof t->vendor, parts[1], lens[1]) < 0 ||
		    copy_part(t->os, sizeof t->os, parts[2], lens[2]) < 0 ||
		    copy_part(t->env, sizeof t->env, parts[3], lens[3]) < 0)
			goto toolong;
	}

	a = find_arch(t->arch);
	if (!a)
		return cb_err_set(err, CB_ERR_PARSE,
			"target triple '%s': unknown architecture '%s'", text, t->arch);
	t->machine = a->machine;
	t->bits = a->bits;
	t->endian = a->endian;
	t->os_name = canonical_os(t);

	/* ILP32 ABIs: 64-bit machines, 32-bit ELF files. */
	if (strcmp(t->env, "gnux32") == 0 || strstr(t->env, "ilp32"))
		t->bits = 32;

	if (strcmp(t->os_name, "windows") == 0 || strcmp(t->os_name, "uefi") == 0 ||
	    strcmp(t->os_name, "cygwin") == 0) {
		t->format = TRIPLE_FMT_PE;
		t->exe_suffix = strcmp(t->os_name, "uefi") == 0 ? ".efi" : ".exe";
	} else if (strcmp(t->vendor, "apple") == 0) {
		t->format = TRIPLE_FMT_MACHO;
		t->exe_suffix = "";
	} else if (starts(t->machine, "wasm")) {
		t->format = TRIPLE_FMT_WASM;
		t->exe_suffix = ".wasm";
	} else if (strcmp(t->machine, "nvptx64") == 0 ||
		   strcmp(t->machine, "asmjs") == 0) {
		t->format = TRIPLE_FMT_UNKNOWN;
		t->exe_suffix = strcmp(t->machine, "asmjs") == 0 ? ".js" : ".ptx";
	} else {
		t->format = TRIPLE_FMT_ELF;
		t->exe_suffix = "";
	}
	return 0;

toolong:
	return cb_err_set(err, CB_ERR_PARSE,
			  "target triple '%s': a part is too long", text);
}

const char *triple_format_name(enum triple_format f)
{
	switch (f) {
	case TRIPLE_FMT_ELF: return "ELF";
	case TRIPLE_FMT_PE: return "PE";
	case TRIPLE_FMT_MACHO: return "Mach-O";
	case TRIPLE_FMT_WASM: return "wasm";
	case TRIPLE_FMT_UNKNOWN: break;
	}
	return "unknown";
}

int triple_is_linux_gnu(const struct triple *t)
{
	return strcmp(t->os, "linux") == 0 && starts(t->env, "gnu");
}

void triple_cargo_env(const char *triple, char *out, size_t n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; triple[i] && i + 1 < n; i++) {
		char c = triple[i];

		out[i] = (c == '-' || c == '.') ? '_' : (char)toupper((unsigned char)c);
	}
	out[i] = '\0';
}

void triple_cc_env(const char *triple, char *out, size_t n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; triple[i] && i + 1 < n; i++)
		out[i] = triple[i] == '-' ? '_' : triple[i];
	out[i] = '\0';
}

/* The architecture as GNU toolchains name it in their prefix. */
static const char *gnu_arch(const struct triple *t)
{
	const char *a = t->arch;

	if (strcmp(t->machine, "arm") == 0)
		return t->endian == TRIPLE_BIG ? "armeb" : "arm";
	if (strcmp(t->machine, "i386") == 0)
		return "i686";
	if (starts(a, "riscv64"))
		return "riscv64";
	if (starts(a, "riscv32"))
		return "riscv32";
	if (strcmp(a, "sparcv9") == 0)
		return "sparc64";
	if (strcmp(a, "aarch64_be") == 0)
		return "aarch64_be";
	if (strcmp(t->machine, "aarch64") == 0)
		return "aarch64";
	if (starts(a, "x86_64"))
		return "x86_64";
	return a;
}

int triple_gnu_prefix(const struct triple *t, char *out, size_t n)
{
	const char *arch = gnu_arch(t);

	if (strcmp(t->os_name, "windows") == 0 && starts(t->env, "gnu")) {
		if (strcmp(t->machine, "x86_64") == 0 || strcmp(t->machine, "i386") == 0 ||
		    strcmp(t->machine, "aarch64") == 0) {
			snprintf(out, n, "%s-w64-mingw32", arch);
			return 0;
		}
		return -1;
	}
	if (strcmp(t->vendor, "apple") == 0 && strcmp(t->os_name, "macos") == 0) {
		snprintf(out, n, "%s-apple-darwin", arch);
		return 0;
	}
	if (strcmp(t->os, "linux") == 0 && t->env[0] &&
	    !starts(t->env, "android") && !starts(t->env, "ohos")) {
		/* riscv64gc-unknown-linux-gnu -> riscv64-linux-gnu; thumbv7neon
		 * gnueabihf -> arm-linux-gnueabihf; the env part is kept. */
		snprintf(out, n, "%s-linux-%s", arch, t->env);
		return 0;
	}
	return -1;
}

/* Go's GOOS for what canonical_os() named, or NULL. */
static const char *go_os(const struct triple *t)
{
	static const char *const same[] = {
		"linux", "windows", "android", "ios", "freebsd", "netbsd",
		"openbsd", "dragonfly", "solaris", "illumos", "aix", "plan9", NULL
	};

	if (strcmp(t->os_name, "macos") == 0)
		return "darwin";
	if (strcmp(t->os_name, "wasi") == 0)
		return "wasip1";
	if (strcmp(t->os_name, "emscripten") == 0)
		return "js";
	for (const char *const *p = same; *p; p++)
		if (strcmp(t->os_name, *p) == 0)
			return *p;
	return NULL;
}

/* Go's GOARCH for t, or NULL. */
static const char *go_arch(const struct triple *t)
{
	static const struct { const char *machine; int big; const char *go; } map[] = {
		{ "x86_64", 0, "amd64" }, { "i386", 0, "386" },
		{ "aarch64", 0, "arm64" }, { "arm", 0, "arm" },
		{ "riscv64", 0, "riscv64" }, { "powerpc64", 0, "ppc64le" },
		{ "powerpc64", 1, "ppc64" }, { "s390x", 1, "s390x" },
		{ "mips64", 0, "mips64le" }, { "mips64", 1, "mips64" },
		{ "mips", 0, "mipsle" }, { "mips", 1, "mips" },
		{ "loongarch64", 0, "loong64" }, { "wasm32", 0, "wasm" },
	};

	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (strcmp(t->machine, map[i].machine) == 0 &&
		    (t->endian == TRIPLE_BIG) == map[i].big)
			return map[i].go;
	return NULL;
}

int triple_go(const struct triple *t, struct triple_go *g)
{
	const char *os = go_os(t), *arch = go_arch(t);

	memset(g, 0, sizeof *g);
	if (!os || !arch)
		return -1;
	/* wasm is js/wasm (emscripten) or wasip1/wasm; nothing else. */
	if ((strcmp(arch, "wasm") == 0) != (!strcmp(os, "js") || !strcmp(os, "wasip1")))
		return -1;
	snprintf(g->goos, sizeof g->goos, "%s", os);
	snprintf(g->goarch, sizeof g->goarch, "%s", arch);
	if (strcmp(arch, "arm") == 0) {
		/* armv7, thumbv7neon: 7 (every ARMv7 Linux has VFPv3); arm
		 * (ARMv6) with hard float 6; armv5te and ARMv6 soft float: 5,
		 * Go's software floating point. */
		const char *a = t->arch;
		const char *v = starts(a, "thumb") ? a + 5 : a + 3;
		int hard = strstr(t->env, "hf") != NULL;

		if (*v == 'v' && v[1] >= '7' && v[1] <= '9')
			snprintf(g->goarm, sizeof g->goarm, "7");
		else if (*v == 'v' && v[1] == '5')
			snprintf(g->goarm, sizeof g->goarm, "5");
		else
			snprintf(g->goarm, sizeof g->goarm, "%s", hard ? "6" : "5");
	}
	return 0;
}

const char *triple_host_default(void)
{
#if defined(__x86_64__) && defined(__linux__)
	return "x86_64-unknown-linux-gnu";
#elif defined(__aarch64__) && defined(__linux__)
	return "aarch64-unknown-linux-gnu";
#elif defined(__i386__) && defined(__linux__)
	return "i686-unknown-linux-gnu";
#elif defined(__riscv) && __riscv_xlen == 64 && defined(__linux__)
	return "riscv64gc-unknown-linux-gnu";
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__) && defined(__linux__)
	return "powerpc64le-unknown-linux-gnu";
#elif defined(__s390x__) && defined(__linux__)
	return "s390x-unknown-linux-gnu";
#elif defined(__arm__) && defined(__linux__)
	return "armv7-unknown-linux-gnueabihf";
#else
	return "unknown-unknown-unknown";
#endif
}

int triple_is_host(const struct triple *t, const char *host_triple)
{
	struct triple h;

	if (!host_triple)
		host_triple = triple_host_default();
	if (triple_parse(&h, host_triple, NULL) < 0)
		return 0;
	return strcmp(h.machine, t->machine) == 0 &&
	       strcmp(h.os_name, t->os_name) == 0 &&
	       strcmp(h.env, t->env) == 0 && h.bits == t->bits;
}

int triple_list_known(const char *rustc, struct strv *out, struct cb_err *err)
{
	char *argv[] = { (char *)(rustc && *rustc ? rustc : "rustc"), "--print",
			 "target-list", NULL };
	struct proc_result res;
	const char *p;

	proc_result_init(&res);
	if (proc_capture(argv, NULL, NULL, 20000, &res, err) < 0) {
		proc_result_fini(&res);
		return -1;
	}
	if (!res.exited || res.status != 0) {
		cb_err_set(err, CB_ERR_EXEC, "%s --print target-list failed: %.200s",
			   argv[0], res.errb.data ? res.errb.data : "");
		proc_result_fini(&res);
		return -1;
	}
	for (p = res.out.data ? res.out.data : ""; *p;) {
		size_t l = strcspn(p, "\n");

		if (l)
			strv_pushn(out, p, l);
		p += l;
		if (*p)
			p++;
	}
	proc_result_fini(&res);
	return 0;
}
