/* host.h - the machine crossbench runs on: distribution, architecture and
 * package manager, so that a fix can name a package that exists here.
 */
#ifndef CB_HOST_H
#define CB_HOST_H

#include "buf.h"

enum host_pm {
	HOST_PM_NONE = 0,
	HOST_PM_APT,
	HOST_PM_DNF,
	HOST_PM_PACMAN,
	HOST_PM_BREW,
};

struct host {
	char id[32];          /* os-release ID: "debian", "ubuntu", "fedora" */
	char id_like[96];     /* os-release ID_LIKE: "debian", "rhel fedora" */
	char version_id[32];  /* "12" */
	char pretty[128];     /* "Debian GNU/Linux 12 (bookworm)" */
	char arch[65];        /* uname machine: "x86_64", "aarch64" */
	enum host_pm pm;      /* the package manager for this distribution */
	int is_root;
};

/* Detect the host.  root is the file-system root to read etc/os-release
 * from ("/" or NULL for the real one; tests pass a fake tree).  On macOS
 * (no os-release) id is "macos" and pm brew.  Never fails: unknown parts
 * stay empty and pm HOST_PM_NONE. */
void host_detect(struct host *h, const char *root);

/* "apt", "dnf", "pacman", "brew" or "none". */
const char *host_pm_name(enum host_pm pm);

/* Parse a manager name as above; HOST_PM_NONE if unknown. */
enum host_pm host_pm_parse(const char *name);

/* The command a person runs to install packages with pm, e.g.
 * "sudo apt-get install gcc-aarch64-linux-gnu".  Appends to out. */
void host_install_command(enum host_pm pm, int as_root, char *const pkgs[],
			  size_t npkgs, struct buf *out);

#endif
