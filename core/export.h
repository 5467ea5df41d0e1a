/* export.h - the settings as plain cargo reads them: .cargo/config.toml
 * text, or shell `export` lines, so that `cargo build --target T` works
 * outside crossbench the way it does inside.
 *
 * Both come from the variables job_prepare() sets for a build, so they
 * say exactly what a crossbench build gets:
 *
 *   RUSTC                        [build] rustc (cargo reads RUSTC from its
 *                                own environment only, so not [env])
 *   CARGO_TARGET_<T>_LINKER      [target.<triple>] linker
 *   CARGO_TARGET_<T>_RUSTFLAGS   [target.<triple>] rustflags (with -L)
 *   CARGO_TARGET_<T>_RUNNER      [target.<triple>] runner
 *   CARGO_TARGET_DIR             [build] target-dir
 *   CC_<t>, CXX_<t>, AR_<t>,     [env]: what build scripts (cc-rs) read
 *   CFLAGS_<t>, env settings
 *
 * The cargo and toolchain settings choose the program that runs, which no
 * config file can; they become comments (and RUSTUP_TOOLCHAIN, which is
 * what `cargo +NAME` sets, in the shell form).  [build] and [env] are
 * shared by every target: two targets that need different values there
 * cannot both be served, and a warning says which value was kept.
 *
 * Written into an existing .cargo/config.toml, crossbench's part is one
 * block between "# >>> crossbench >>>" and "# <<< crossbench <<<" lines,
 * plus single lines ending in "# managed by crossbench" where a table the
 * file already has ([build], [env]) must take a key.  Everything else in
 * the file is kept byte for byte, a key the file already sets is left as
 * it is (with a warning), and writing twice changes nothing.
 */
#ifndef CB_EXPORT_H
#define CB_EXPORT_H

#include <stddef.h>

#include "buf.h"
#include "config.h"
#include "err.h"

#define EXPORT_BEGIN "# >>> crossbench >>>"
#define EXPORT_END "# <<< crossbench <<<"
#define EXPORT_LINE_MARK "# managed by crossbench"

/* Shell lines setting what a build of each of the n targets ts gets, in
 * order, a variable once: `export KEY=VALUE`, quoted for sh.  Appends to
 * out; conflicts go to warnings as text.  Returns 0, or -1 with err when
 * the settings make no build (job_prepare's errors). */
int export_env(const struct target_settings *ts, size_t n,
	       const char *project_dir, struct buf *out, struct strv *warnings,
	       struct cb_err *err);

/* The settings of the n targets ts as a .cargo/config.toml of their own
 * (crossbench's block, markers included).  Appends to out. */
int export_cargo_config(const struct target_settings *ts, size_t n,
			const char *project_dir, struct buf *out,
			struct strv *warnings, struct cb_err *err);

/* old (the text of an existing config.toml, or NULL/"" for none) with
 * crossbench's part replaced by the settings of ts: the previous block and
 * marked lines go, the new block takes the old block's place (or goes at
 * the end), and keys for tables the file defines itself go into those
 * tables as marked lines.  name is the file's name for messages.  Appends
 * to out.  Returns 0, or -1 with err (an old block that never ends). */
int export_cargo_config_merge(const char *old, const char *name,
			      const struct target_settings *ts, size_t n,
			      const char *project_dir, struct buf *out,
			      struct strv *warnings, struct cb_err *err);

/* Merge into project_dir/.cargo/config.toml (created with its directory
 * if missing) and replace the file atomically.  Returns 1 when the file
 * changed, 0 when it already said this, -1 with err. */
int export_cargo_config_write(const char *project_dir,
			      const struct target_settings *ts, size_t n,
			      struct strv *warnings, struct cb_err *err);

/* A value cargo takes from its config files for a build in project_dir:
 * .cargo/config.toml (or .cargo/config) there and in every parent
 * directory, nearest first, then $CARGO_HOME/config.toml.  table is
 * dotted ("build", "target.aarch64-unknown-linux-gnu"), key a plain key
 * ("rustc", "linker").  A string appends one value, an array of strings
 * each element.  Returns 1 and appends, or 0 when no file sets it.  Reads
 * what cargo's own files usually hold; TOML beyond strings and arrays of
 * strings on a key's line is not understood. */
int export_cargo_config_get(const char *project_dir, const char *table,
			    const char *key, struct strv *out, char **file);

#endif
