/* packages.h - which distribution package provides a tool, a Rust std or a
 * library for a target, per package manager.
 *
 * The knowledge is data: core/presets/packages.conf (installed as
 * <datadir>/presets/packages.conf), in git-config syntax, read with libgit2
 * like crossbench's own config.  Sections are [KIND "NAME"]; each key is a
 * package manager and its value the space-separated packages:
 *
 *   [tool "aarch64-linux-gnu-gcc"]          # a program on PATH
 *       apt = gcc-aarch64-linux-gnu
 *       dnf = gcc-aarch64-linux-gnu
 *       pacman = aarch64-linux-gnu-gcc
 *   [std "aarch64-unknown-linux-gnu"]       # Rust's std for a target
 *       apt = libstd-rust-dev:arm64
 *       apt-setup = dpkg --add-architecture arm64
 *       rustup = aarch64-unknown-linux-gnu
 *   [lib "z"]                               # a C library (-lz) for a target
 *       apt = zlib1g-dev:{debian-arch}
 *   [multiarch "aarch64-linux-gnu"]         # GNU prefix -> Debian arch
 *       debian = arm64
 *
 * Kinds are open-ended (the doctor adds its own); the managers are apt,
 * dnf, pacman, brew and rustup.  "<manager>-setup" is a command to run once
 * before installing (enable a foreign architecture, a repository).
 * "{debian-arch}" in a value is replaced by the Debian architecture of the
 * target the lookup is for; a value that needs it when the target has none
 * gives no packages.  A missing key means "no such package that we know of"
 * for that manager: the file leaves out what it is not sure of rather than
 * invent a name.
 */
#ifndef CB_PACKAGES_H
#define CB_PACKAGES_H

#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "host.h"

struct packages;

/* Read one packages file.  Later files (packages_add_file) override the
 * values of earlier ones key by key.  Returns a new set (free with
 * packages_free) or NULL with err naming the file and libgit2's message. */
struct packages *packages_load(const char *path, struct cb_err *err);

/* The default file: packages.conf in the presets data dir (paths.h), then
 * $XDG_CONFIG_HOME/crossbench/packages.conf if it exists.  Never NULL: a
 * missing data file gives an empty set and a message in err. */
struct packages *packages_load_default(struct cb_err *err);

/* Add a file's entries on top of p.  Returns 0, or -1 with err. */
int packages_add_file(struct packages *p, const char *path, struct cb_err *err);

/* An empty set, for tests and callers that load files themselves. */
struct packages *packages_new(void);
void packages_free(struct packages *p);

/* Append to out the packages that provide NAME of KIND ("tool", "std",
 * "lib", ...) with manager pm, for target (a triple, or NULL when the entry
 * does not depend on one).  Returns the number appended: 0 when nothing is
 * known. */
size_t packages_lookup(const struct packages *p, const char *kind,
		       const char *name, const char *manager,
		       const char *target, struct strv *out);

/* packages_lookup for the program tool on PATH. */
size_t packages_for_tool(const struct packages *p, enum host_pm pm,
			 const char *tool, struct strv *out);

/* packages_lookup for Rust's standard library for target. */
size_t packages_for_std(const struct packages *p, enum host_pm pm,
			const char *target, struct strv *out);

/* Append to out the "<manager>-setup" command of an entry ("dpkg
 * --add-architecture arm64", {debian-arch} filled in for target).  Returns
 * 1, or 0 when there is none (or it needs an architecture target lacks). */
int packages_setup(const struct packages *p, const char *kind,
		   const char *name, const char *manager, const char *target,
		   struct buf *out);

/* The Debian architecture of target (arm64 for aarch64-unknown-linux-gnu),
 * from the [multiarch] sections; NULL when unknown. */
const char *packages_debian_arch(const struct packages *p, const char *target);

#endif
