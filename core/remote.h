/* remote.h - a target that builds on another machine over SSH.
 *
 * A target whose host setting names a machine ([user@]name[:port], or a
 * [host "name"] section) builds there.  Its job (job.h) then runs this
 * program's own `crossbench remote-run` as its process, which:
 *
 *   1. makes sure one shared ssh connection to the host is up (a
 *      ControlMaster in its own session, reused by every build and copy
 *      to that host, kept 5 minutes after the last use);
 *   2. copies the project there with rsync over that connection: the
 *      project directory (or the workspace root above it) less target/
 *      and .git/ and what .gitignore ignores, and from each directory
 *      above it (up to the git work tree) only what cargo reads there
 *      (Cargo.toml, Cargo.lock, .cargo/config, rust-toolchain);
 *   3. runs the same cargo command line and the variables crossbench set
 *      over ssh, in a process group of its own on the host, with a watcher
 *      that ends that group when the connection closes (a cancel, a
 *      timeout, a dropped link), so nothing is left running there;
 *   4. passes cargo's stdout and stderr through as they come, and copies
 *      the artifacts cargo reported back to
 *      <project>/target/crossbench/<triple>/<profile>/.
 *
 * It exits with cargo's status (a remote 255 becomes 254), 125 when the
 * copy failed or the directory cannot be entered there, and
 * REMOTE_UNREACHABLE when ssh could not reach the host or lost it.
 */
#ifndef CB_REMOTE_H
#define CB_REMOTE_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define REMOTE_UNREACHABLE 255
#define REMOTE_SETUP_FAILED 125
/* How long ssh waits to connect, and how long a silent link lasts
 * (ServerAliveInterval x ServerAliveCountMax). */
#define REMOTE_CONNECT_TIMEOUT_S 10
#define REMOTE_ALIVE_INTERVAL_S 5
#define REMOTE_ALIVE_COUNT 3
/* The PATH the host's rsync is looked up on: Homebrew's first (a Mac's
 * own is openrsync). */
#define REMOTE_RSYNC_PATH "/opt/homebrew/bin:/usr/local/bin:$PATH"
/* The shared connection stays this long after its last user. */
#define REMOTE_PERSIST_S 300

/* Where a target builds when it is not here. */
struct remote_host {
	char *name;        /* the setting as written: "mac", "me@mac:2222" */
	char *dest;        /* what ssh connects to: "me@mac" */
	int port;          /* 0: ssh's own (its config, or 22) */
	char *ssh;         /* the ssh program ("ssh") */
	struct strv ssh_options;  /* words given to ssh before ours */
	char *dir;         /* the project base's directory there; NULL:
			      remote_default_dir() */
	int jobs;          /* builds at once on this host (at least 1) */
};

void remote_host_init(struct remote_host *h);
void remote_host_fini(struct remote_host *h);
void remote_host_copy(struct remote_host *dst, const struct remote_host *src);

/* Check a host setting, [user@]name[:port] (name may be an [IPv6] in
 * brackets): fills dest and port.  Returns 0, or -1 with err saying what
 * is wrong ("'-oProxy' cannot start with '-'"). */
int remote_parse_spec(const char *spec, char **dest, int *port,
		      struct cb_err *err);

/* The directory above project_dir whose tree goes to the host: the git
 * work tree holding it, or project_dir itself outside git.  Returns a
 * malloc'd absolute path; *rel gets project_dir relative to it ("" for
 * the same, else "samples/hello"; malloc'd). */
char *remote_sync_base(const char *project_dir, char **rel);

/* The default directory of a sync base on a host, relative to the home
 * directory there: ".cache/crossbench/<name>-<8 hex of its local path>". */
char *remote_default_dir(const char *base);

/* Directory for the shared connections' sockets ($XDG_RUNTIME_DIR/crossbench
 * or /tmp/crossbench-<uid>, made 0700).  Returns 0 or -1 with err. */
int remote_control_dir(char *out, size_t n, struct cb_err *err);

/* The ssh command for h through the shared connection in control_dir:
 * ssh, the host's options, then BatchMode, the timeouts and the
 * ControlPath (the user's own -o come first, so they win), and -p. */
void remote_ssh_argv(const struct remote_host *h, const char *control_dir,
		     struct strv *out);

/* Append w to out quoted for a POSIX shell: as is when it is made only
 * of safe characters, else in single quotes. */
void remote_shell_quote(struct buf *out, const char *w);

/* The command line ssh runs on the host: enter dir, then run argv (with
 * the KEY=VALUE entries of env set) in a process group of its own,
 * ended when the connection's stdin closes or the command ends (what it
 * left in its group goes too).  Its group id is kept in
 * dir/target/crossbench/build/.remote-<key>.pid while it runs, and a group left by a
 * lost connection that the host did not notice is ended before the next
 * build with that key starts.  Appends to out. */
void remote_command(const char *dir, const char *key, const struct strv *env,
		    const struct strv *argv, struct buf *out);

/* The tree below base that goes to the host whole, relative to base: the
 * highest workspace root ([workspace] in its Cargo.toml) between base and
 * the project at rel, else rel itself.  Returns a malloc'd path. */
char *remote_sync_tree(const char *base, const char *rel);

/* The rsync filter words for copying base to a host when the project is
 * rel below it (see the top of this file): that tree whole, and from the
 * directories above it what cargo reads.  Appends to out. */
void remote_sync_filters(const char *base, const char *rel, struct strv *out);

/* What `crossbench remote-run` is asked to do. */
struct remote_request {
	struct remote_host host;
	char *base;        /* local sync base (absolute) */
	char *rel;         /* the project below it ("" for base itself) */
	char *fetch_dir;   /* where the artifacts go, made if missing */
	struct strv env;   /* KEY=VALUE set for cargo there */
	struct strv argv;  /* cargo's command line */
};

void remote_request_init(struct remote_request *r);
void remote_request_fini(struct remote_request *r);

/* The argument words of `crossbench remote-run` for r (after the
 * command name), and back.  remote_request_parse returns 0, or -1 with
 * err for a word it does not know. */
void remote_request_words(const struct remote_request *r, struct strv *out);
int remote_request_parse(struct remote_request *r, int argc, char **argv,
			 struct cb_err *err);

/* Do it (the numbered steps above), cargo's stdout to fd 1 and every
 * other word (cargo's stderr, crossbench's notes, ssh's and rsync's
 * errors) to fd 2.  Returns the exit status described at the top. */
int remote_run(const struct remote_request *r);

/* Where artifact path (as cargo reported it on the host) lands here:
 * fetch_dir/<its name>.  Returns a malloc'd path. */
char *remote_local_artifact(const char *fetch_dir, const char *path);

/* Ask the host, over the shared connection, what the doctor needs: one
 * "key value" line each for cargo, rustc, sysroot, rsync, and "target T"
 * for each installed standard library.  Returns 0 with the lines in out,
 * or -1 with err ("unreachable: ssh: connect to host ... refused"). */
int remote_probe(const struct remote_host *h, const char *cargo,
		 const char *rustc, int timeout_ms, struct buf *out,
		 struct cb_err *err);

#endif
