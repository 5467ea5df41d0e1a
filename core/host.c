/* host.c - which distribution and package manager this machine has. */
#include "host.h"
#include "triple.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static void unquote_into(char *dst, size_t cap, const char *val)
{
	size_t n = strlen(val);

	while (n && (val[n - 1] == '\n' || val[n - 1] == '\r'))
		n--;
	if (n >= 2 && (val[0] == '"' || val[0] == '\'') && val[n - 1] == val[0]) {
		val++;
		n -= 2;
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, val, n);
	dst[n] = '\0';
}

static int word_in(const char *words, const char *w)
{
	size_t wl = strlen(w);
	const char *p = words;

	while ((p = strstr(p, w))) {
		int start_ok = p == words || p[-1] == ' ';
		int end_ok = p[wl] == '\0' || p[wl] == ' ';

		if (start_ok && end_ok)
			return 1;
		p += wl;
	}
	return 0;
}

static enum host_pm pm_for(const struct host *h)
{
	if (!strcmp(h->id, "macos"))
		return HOST_PM_BREW;
	if (!strcmp(h->id, "debian") || !strcmp(h->id, "ubuntu") ||
	    word_in(h->id_like, "debian") || word_in(h->id_like, "ubuntu"))
		return HOST_PM_APT;
	if (!strcmp(h->id, "fedora") || word_in(h->id_like, "fedora") ||
	    word_in(h->id_like, "rhel"))
		return HOST_PM_DNF;
	if (!strcmp(h->id, "arch") || word_in(h->id_like, "arch"))
		return HOST_PM_PACMAN;
	return HOST_PM_NONE;
}

/* Whether the program of pm is installed under root. */
static int pm_program_present(enum host_pm pm, const char *root)
{
	static const char *const dirs[] = {
		"usr/bin", "bin", "usr/local/bin", "opt/homebrew/bin", "usr/sbin",
	};
	const char *prog = NULL;
	char path[600];

	switch (pm) {
	case HOST_PM_APT: prog = "apt-get"; break;
	case HOST_PM_DNF: prog = "dnf"; break;
	case HOST_PM_PACMAN: prog = "pacman"; break;
	case HOST_PM_BREW: prog = "brew"; break;
	case HOST_PM_NONE: return 0;
	}
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		snprintf(path, sizeof path, "%s/%s/%s", strcmp(root, "/") ? root : "",
			 dirs[i], prog);
		if (access(path, X_OK) == 0)
			return 1;
	}
	return 0;
}

/* uname's machine as dpkg names the architecture. */
static const char *dpkg_native(const char *machine)
{
	static const char *const map[][2] = {
		{ "x86_64", "amd64" }, { "aarch64", "arm64" }, { "armv7l", "armhf" },
		{ "armv8l", "armhf" }, { "i686", "i386" }, { "i586", "i386" },
		{ "ppc64le", "ppc64el" }, { "s390x", "s390x" }, { "riscv64", "riscv64" },
		{ "mips64", "mips64el" },
	};

	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcmp(machine, map[i][0]))
			return map[i][1];
	return NULL;
}

static void add_word(char *list, size_t cap, const char *w)
{
	size_t n = strlen(list);

	if (!*w || word_in(list, w) || n + strlen(w) + 2 > cap)
		return;
	snprintf(list + n, cap - n, "%s%s", n ? " " : "", w);
}

/* dpkg keeps every architecture it installs for, one a line, in
 * var/lib/dpkg/arch (the native one may be missing from it). */
static void read_dpkg_archs(struct host *h, const char *root)
{
	char path[600], line[64];
	const char *native = dpkg_native(h->arch);
	FILE *f;

	if (native)
		add_word(h->dpkg_archs, sizeof h->dpkg_archs, native);
	snprintf(path, sizeof path, "%s/var/lib/dpkg/arch", strcmp(root, "/") ? root : "");
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, " \t\r\n")] = '\0';
		add_word(h->dpkg_archs, sizeof h->dpkg_archs, line);
	}
	fclose(f);
}

void host_detect(struct host *h, const char *root)
{
	char path[512], line[512];
	struct utsname u;
	FILE *f;

	memset(h, 0, sizeof *h);
	if (!root)
		root = "/";
	snprintf(path, sizeof path, "%s/etc/os-release", root);
	f = fopen(path, "r");
	if (!f) {
		snprintf(path, sizeof path, "%s/usr/lib/os-release", root);
		f = fopen(path, "r");
	}
	if (f) {
		while (fgets(line, sizeof line, f)) {
			if (!strncmp(line, "ID=", 3))
				unquote_into(h->id, sizeof h->id, line + 3);
			else if (!strncmp(line, "ID_LIKE=", 8))
				unquote_into(h->id_like, sizeof h->id_like, line + 8);
			else if (!strncmp(line, "VERSION_ID=", 11))
				unquote_into(h->version_id, sizeof h->version_id, line + 11);
			else if (!strncmp(line, "PRETTY_NAME=", 12))
				unquote_into(h->pretty, sizeof h->pretty, line + 12);
		}
		fclose(f);
	}
	if (uname(&u) == 0) {
		snprintf(h->arch, sizeof h->arch, "%s", u.machine);
		if (!h->id[0] && !strcmp(u.sysname, "Darwin")) {
			snprintf(h->id, sizeof h->id, "macos");
			snprintf(h->pretty, sizeof h->pretty, "macOS");
		}
	}
	h->pm = pm_for(h);
	if (h->pm != HOST_PM_NONE) {
		h->pm_present = pm_program_present(h->pm, root);
	} else {
		/* A derivative that names no known parent: go by what is
		 * installed. */
		static const enum host_pm order[] = {
			HOST_PM_APT, HOST_PM_DNF, HOST_PM_PACMAN, HOST_PM_BREW,
		};

		for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
			if (pm_program_present(order[i], root)) {
				h->pm = order[i];
				h->pm_present = 1;
				break;
			}
		}
	}
	if (h->pm == HOST_PM_APT)
		read_dpkg_archs(h, root);
	h->is_root = geteuid() == 0;
}

const char *host_family(const struct host *h)
{
	switch (h->pm) {
	case HOST_PM_APT: return "debian";
	case HOST_PM_DNF: return "fedora";
	case HOST_PM_PACMAN: return "arch";
	case HOST_PM_BREW: return "macos";
	case HOST_PM_NONE: break;
	}
	return NULL;
}

int host_has_dpkg_arch(const struct host *h, const char *arch)
{
	return h->pm == HOST_PM_APT && arch && *arch && word_in(h->dpkg_archs, arch);
}

const char *host_pm_name(enum host_pm pm)
{
	switch (pm) {
	case HOST_PM_APT: return "apt";
	case HOST_PM_DNF: return "dnf";
	case HOST_PM_PACMAN: return "pacman";
	case HOST_PM_BREW: return "brew";
	case HOST_PM_NONE: break;
	}
	return "none";
}

enum host_pm host_pm_parse(const char *name)
{
	if (!strcmp(name, "apt"))
		return HOST_PM_APT;
	if (!strcmp(name, "dnf"))
		return HOST_PM_DNF;
	if (!strcmp(name, "pacman"))
		return HOST_PM_PACMAN;
	if (!strcmp(name, "brew"))
		return HOST_PM_BREW;
	return HOST_PM_NONE;
}

void host_install_command(enum host_pm pm, int as_root, char *const pkgs[],
			  size_t npkgs, struct buf *out)
{
	const char *sudo = as_root ? "" : "sudo ";

	switch (pm) {
	case HOST_PM_APT:
		buf_printf(out, "%sapt-get install", sudo);
		break;
	case HOST_PM_DNF:
		buf_printf(out, "%sdnf install", sudo);
		break;
	case HOST_PM_PACMAN:
		buf_printf(out, "%spacman -S", sudo);
		break;
	case HOST_PM_BREW:
		buf_puts(out, "brew install");
		break;
	case HOST_PM_NONE:
		buf_puts(out, "install");
		break;
	}
	for (size_t i = 0; i < npkgs; i++)
		buf_printf(out, " %s", pkgs[i]);
}

void host_triple(const struct host *h, char *out, size_t n)
{
	static const char *const arch_map[][2] = {
		{ "x86_64", "x86_64" }, { "amd64", "x86_64" }, { "aarch64", "aarch64" },
		{ "arm64", "aarch64" }, { "armv7l", "armv7" }, { "armv8l", "armv7" },
		{ "i686", "i686" }, { "i586", "i686" }, { "i386", "i686" },
		{ "riscv64", "riscv64gc" }, { "ppc64le", "powerpc64le" },
		{ "s390x", "s390x" },
	};
	const char *arch = NULL;

	for (size_t i = 0; i < sizeof arch_map / sizeof *arch_map; i++)
		if (!strcmp(h->arch, arch_map[i][0]))
			arch = arch_map[i][1];
	if (!arch) {
		snprintf(out, n, "%s", triple_host_default());
		return;
	}
	if (!strcmp(h->id, "macos"))
		snprintf(out, n, "%s-apple-darwin", arch);
	else if (!strcmp(arch, "armv7"))
		snprintf(out, n, "armv7-unknown-linux-%s",
			 !strcmp(h->id, "alpine") ? "musleabihf" : "gnueabihf");
	else
		snprintf(out, n, "%s-unknown-linux-%s", arch,
			 !strcmp(h->id, "alpine") ? "musl" : "gnu");
}
