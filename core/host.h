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
	int pm_present;       /* pm's program was found (apt-get, dnf, ...) */
	char dpkg_archs[128]; /* apt: the architectures dpkg installs for,
				 native first ("amd64 arm64"); "" elsewhere */
};

/* Detect the host.  root is the file-system root to read etc/os-release
 * from ("/" or NULL for the real one; tests pass a fake tree).  On macOS
 * (no os-release) id is "macos" and pm brew.  A distribution not known by
 * name gets the manager whose program is there (usr/bin/apt-get, dnf,
 * pacman under root).  dpkg's architectures come from
 * var/lib/dpkg/arch.  Never fails: unknown parts stay empty and pm
 * HOST_PM_NONE. */
void host_detect(struct host *h, const char *root);

/* The family whose names presets and package lists use: "debian" (apt),
 * "fedora" (dnf), "arch" (pacman), "macos" (brew), or NULL when the host
 * has no known package manager. */
const char *host_family(const struct host *h);

/* The Rust target triple of this machine as far as the host tells it
 * ("x86_64-unknown-linux-gnu", "aarch64-apple-darwin"; Alpine's is musl),
 * for triple_is_host().  Unknown parts give triple_host_default(). */
void host_triple(const struct host *h, char *out, size_t n);

/* Whether dpkg on this host already installs packages for the Debian
 * architecture arch ("armhf"): the native one or one added with
 * `dpkg --add-architecture`.  0 on hosts without dpkg. */
int host_has_dpkg_arch(const struct host *h, const char *arch);

/* "apt", "dnf", "pacman", "brew" or "none". */
const char *host_pm_name(enum host_pm pm);

/* Parse a manager name as above; HOST_PM_NONE if unknown. */
enum host_pm host_pm_parse(const char *name);

/* The command a person runs to install packages with pm, e.g.
 * "sudo apt-get install gcc-aarch64-linux-gnu".  Appends to out. */
void host_install_command(enum host_pm pm, int as_root, char *const pkgs[],
			  size_t npkgs, struct buf *out);

#endif
