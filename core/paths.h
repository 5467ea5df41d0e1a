/* paths.h - where crossbench's data files and the user's config live.
 *
 * Data files (rules, themes, presets) are found, in order: under
 * $CROSSBENCH_DATADIR; in the source tree the running binary was built in
 * (so ./crossbench works without installing); under <exe>/../share/crossbench
 * (a relocated install); under the compiled-in DATADIR.
 */
#ifndef CB_PATHS_H
#define CB_PATHS_H

#include <stddef.h>

enum paths_data {
	PATHS_RULES,    /* source tree: core/rules    installed: rules   */
	PATHS_THEMES,   /* source tree: themes        installed: themes  */
	PATHS_PRESETS,  /* source tree: core/presets  installed: presets */
};

/* Fill out with the directory holding that kind of data file.  Returns 0,
 * or -1 if none of the places exists (out then holds the compiled-in path,
 * so a message can name it). */
int paths_data_dir(enum paths_data kind, char *out, size_t n);

/* $XDG_CONFIG_HOME/crossbench, or $HOME/.config/crossbench.  Returns 0, or
 * -1 when neither variable is set. */
int paths_user_config_dir(char *out, size_t n);

/* $XDG_DATA_HOME/crossbench, or $HOME/.local/share/crossbench: what
 * crossbench keeps for the user (the trust store).  Returns 0, or -1 when
 * neither variable is set. */
int paths_user_data_dir(char *out, size_t n);

/* The directory of the running executable (from /proc/self/exe). */
int paths_exe_dir(char *out, size_t n);

/* Create dir and its parents (mode 0755).  Returns 0 or -1 with errno. */
int paths_mkdir_p(const char *dir);

#endif
