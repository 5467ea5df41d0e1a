/* preset.h - good settings for common targets on common hosts, and
 * filling them in when a target is added.
 *
 * The knowledge is data: the NAME.preset files in core/presets/ (installed under
 * <datadir>/presets/), in git-config syntax, read with libgit2:
 *
 *   [preset "aarch64-unknown-linux-gnu"]     # every host
 *       linker = aarch64-linux-gnu-gcc
 *       runner = qemu-aarch64 -L /usr/aarch64-linux-gnu
 *       runner = qemu-aarch64-static -L /usr/aarch64-linux-gnu
 *   [macos "aarch64-unknown-linux-gnu"]      # replaces keys on macOS hosts
 *       linker = aarch64-unknown-linux-gnu-gcc
 *       runner =
 *
 * Keys are crossbench.conf(5)'s target keys.  A program key (cargo, rustc,
 * cc, cxx, ar, linker, runner) given several times lists alternatives,
 * best first; '*' in a program name matches any text (osxcross's
 * x86_64-apple-darwin21.4-clang) and the newest match wins.  The host
 * sections are named by host_family(): debian, fedora, arch, macos; an
 * empty value there means "nothing for this key on that host".  A later
 * file replaces the values of a key an earlier one gave.
 */
#ifndef CB_PRESET_H
#define CB_PRESET_H

#include <stddef.h>

#include "buf.h"
#include "config.h"
#include "err.h"
#include "host.h"

struct presets;
struct toolchain;

/* Every *.preset in the presets data dir (paths.h), in name order, then
 * every *.preset in $XDG_CONFIG_HOME/crossbench/.  Never NULL: a file that
 * cannot be read or holds an unknown key or section is skipped (that part
 * of it) and described in err, the last such problem. */
struct presets *preset_load_default(struct cb_err *err);

/* An empty set; preset_add_file adds one file over what is there.
 * Returns 0, or -1 with err naming the file (entries that could be read
 * are kept). */
struct presets *preset_new(void);
int preset_add_file(struct presets *p, const char *path, struct cb_err *err);
void preset_free(struct presets *p);

/* Whether p has anything for triple. */
int preset_has(const struct presets *p, const char *triple);

/* Append to out the values of key k for triple on a host of family
 * (host_family(), NULL for none), alternatives best first, as written.
 * Returns how many were appended. */
size_t preset_values(const struct presets *p, const char *triple,
		     const char *family, enum config_key k, struct strv *out);

/* The first alternative of program key k that is usable here: its
 * program is on path_env (NULL: $PATH), every absolute path among its
 * words exists, and fits (when not NULL) says yes for the program's full
 * path.  A '*' pattern comes back as the name it matched.  Returns a
 * malloc'd value, or NULL when none is usable (or k is not a program
 * key). */
char *preset_pick(const struct presets *p, const char *triple,
		  const char *family, enum config_key k, const char *path_env,
		  int (*fits)(void *ctx, const char *path), void *ctx);

/* Whether k names a program (and so has alternatives). */
int preset_is_program_key(enum config_key k);

/* preset_fill with the doctor the caller keeps (its presets, and its
 * probes of what each compiler builds for, are reused). */
int preset_fill_with(struct toolchain *tc, struct config *c,
		     enum config_level level, const char *triple,
		     struct strv *written, struct cb_err *err);

#endif
