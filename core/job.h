/* job.h - one cargo build of one target: its command, environment,
 * process group, pipes, log and result.
 *
 * A job is started by the engine (engine.h), which polls its pipes and
 * reaps it.  Its human-readable log (<log_dir>/<triple>-<profile>-<stamp>.log)
 * is what plain `cargo build` would print: cargo's stderr verbatim plus the
 * rendered text of every compiler message.  cargo's JSON stdout goes
 * verbatim to the sibling .json file, so every byte is kept.
 */
#ifndef CB_JOB_H
#define CB_JOB_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "err.h"
#include "jobserver.h"
#include "logstore.h"

#define JOB_STATES(X) \
	X(QUEUED,    "queued") \
	X(RUNNING,   "running") \
	X(PASSED,    "passed") \
	X(FAILED,    "failed") \
	X(CANCELLED, "cancelled") \
	X(TIMEOUT,   "timeout") \
	X(SKIPPED,   "skipped") \
	X(UNREACHABLE, "unreachable")   /* a build host ssh could not reach or lost */

enum job_state {
#define X(e, name) JOB_##e,
	JOB_STATES(X)
#undef X
	JOB_NSTATES
};

/* "queued", "running", "passed", ... */
const char *job_state_name(enum job_state s);

/* Whether s is an end state (passed, failed, cancelled, timeout, skipped). */
int job_state_final(enum job_state s);

/* cargo's JSON lines can carry a whole linker command line; a line beyond
 * this is kept in the .json file but not parsed. */
#define JOB_MAX_JSON_LINE (64u << 20)

struct artifact;
struct diagnose;
struct remote_request;
struct diagfeed;

/* A build runs cargo; a smoke run starts the binary a passed build made
 * (through the target's runner: qemu-user, wine) to prove it loads. */
enum job_kind { JOB_BUILD = 0, JOB_SMOKE };

/* A smoke run's timeout when smoke-timeout is unset: a first wine run
 * makes its prefix, which takes a while. */
#define JOB_SMOKE_TIMEOUT_S 30

struct job {
	unsigned id;
	enum job_kind kind;
	char *subject;             /* smoke: the binary it runs */
	char triple[TRIPLE_MAX];
	char profile[64];          /* "dev", "release" or a custom profile */
	struct strv argv;
	struct strv env;           /* the whole environment of the child */
	struct strv setenv;        /* what crossbench set, for the log header */
	char *cwd;
	char *target_dir;          /* CARGO_TARGET_DIR, or NULL for cargo's */
	int timeout_s;

	enum job_state state;
	int exit_code;             /* exit status; 128+N for signal N; -1 */
	char *error;               /* why it could not start: "cargo: not found" */
	pid_t pid;                 /* also the process group id */
	int out_fd, err_fd;        /* -1 once at EOF */
	int has_slot;              /* holds a jobserver slot */
	int cancel_reason;         /* 0, or JOB_CANCELLED / JOB_TIMEOUT */
	struct timespec t_queued, t_start, t_end, t_kill;  /* monotonic */
	struct timespec wall_start, wall_end;              /* realtime */
	int reaped;
	int wait_status;

	char *log_path, *json_path;
	struct logstore *log;
	int json_fd;
	struct buf out_line;       /* unfinished stdout line */
	int out_line_skip;         /* a stdout line too long to parse */

	unsigned units;            /* units cargo finished (compiler-artifact) */
	unsigned units_expected;   /* from the previous build; 0 if unknown */
	struct strv artifacts;     /* paths of the workspace's binaries/libs */
	int build_finished;        /* cargo said build-finished */
	int build_success;

	/* Live diagnosis of the log, fed by the engine (NULL without rules). */
	struct diagnose *diag;
	struct diagfeed *feed;     /* what feeds it, on the engine's pool */

	/* The artifacts inspected against the target when the build ended,
	 * one per path in artifacts (see artifact.h). */
	struct artifact *checks;
	size_t nchecks;
	char *glibc_max;           /* the target's glibc-max setting, or NULL */

	/* Built together (the engine's multi strategy): a member job has no
	 * process of its own; its leader is the one cargo building every
	 * member's target, whose output is copied into each member's log.  A
	 * leader lists its members.  A solo job is never merged again (it is
	 * the rerun of a member whose shared build failed).  prelude is
	 * written to the log after the header. */
	struct job *leader;
	struct job **members;
	size_t nmembers;
	int solo;
	int regroup;               /* leader: requeue the members when it ends */
	char *prelude;
	char *cause;               /* the log's first line: what started it */

	/* Called after text was appended to the log (for live views and
	 * diagnosis).  Set by the engine. */
	void (*on_text)(void *ctx, struct job *j, const char *text, size_t n);
	void *on_text_ctx;

	/* A build on another machine (remote.h), or NULL: argv and setenv
	 * are what runs there; the process here is `crossbench remote-run`,
	 * and artifacts are the copies brought back. */
	struct remote_request *remote;

	/* A go build (kind = go): stdout is text, not cargo's JSON, and the
	 * one artifact is go_output, the file given to go build -o. */
	int go;
	char *go_output;
};

/* A new queued job for triple and profile.  Free with job_free(). */
struct job *job_new(unsigned id, const char *triple, const char *profile);
void job_free(struct job *j);

/* Build argv and the environment from the target's settings (see
 * crossbench.conf(5) for the mapping), starting from base_env (NULL: this
 * process's).  target_dir (may be NULL) overrides the setting's.  Returns
 * 0, or -1 with err when the settings cannot be turned into a command (a
 * rustflags word with spaces, say). */
int job_prepare(struct job *j, const struct target_settings *ts,
		const char *project_dir, const char *target_dir,
		char *const base_env[], struct cb_err *err);

/* A smoke run of binary (an artifact of a passed build of j's target):
 * argv is the target's runner words, binary and the smoke arguments
 * (--version when the setting is unset); the environment is base_env
 * with the target's env entries.  Under wine, its fixme chatter is
 * silenced and its first-run installers (mono, gecko) are not offered,
 * unless the environment says otherwise.  Refused, like job_prepare,
 * for settings that are not allowed. */
int job_prepare_smoke(struct job *j, const struct target_settings *ts,
		      const char *project_dir, const char *binary,
		      char *const base_env[], struct cb_err *err);

/* What a finished smoke run came to, in a few words: "exited 0",
 * "exited 127", "killed by signal 11", "timed out after 30 s",
 * "did not start: qemu-aarch64: not found"; "running" before. */
void job_smoke_summary(const struct job *j, struct buf *out);

/* The first line a smoke run's program printed (its log less
 * crossbench's own lines), into out; 0, or -1 when it printed nothing. */
int job_smoke_first_line(const struct job *j, struct buf *out);

/* Build scripts and proc macros of the dev profile without debug info,
 * as cargo 1.71 and later do by default, unless the environment or the
 * project's Cargo.toml says otherwise (CARGO_PROFILE_DEV_BUILD_OVERRIDE_DEBUG,
 * build-override).  The engine's choice for its own builds, not a setting:
 * an export does not carry it. */
void job_lean_build_tools(struct job *j, const char *project_dir);

/* Open the logs under log_dir and start the command in its own process
 * group, holding a jobserver slot the caller already took.  A program that
 * cannot be executed is not an error here: the job ends FAILED at once,
 * with j->error ("cargo: not found") also written to the log.  Returns -1
 * with err only when the logs or pipes cannot be made. */
int job_start(struct job *j, struct jobserver *js, const char *log_dir,
	      struct cb_err *err);

/* Build on host h instead of here (after job_prepare): the project goes
 * from its sync base to h's directory, cargo runs there with the
 * variables crossbench set (CARGO_TARGET_DIR: its own directory there),
 * and the artifacts come back to <project>/target/crossbench/<triple>/<profile>/. */
void job_make_remote(struct job *j, const struct remote_host *h,
		     const char *project_dir);

/* The artifacts a line of cargo's JSON output names that are the
 * workspace's own programs and linkable libraries (what a build's
 * artifacts list holds), appended to out.  Returns how many. */
size_t job_line_artifacts(const char *line, size_t len, struct strv *out);

/* Split bytes p..p+n of a stream into lines, line holding the unfinished
 * one and skip whether it has passed JOB_MAX_JSON_LINE: each complete
 * line goes to each (too_long: only its end is known, not its text). */
void job_split_lines(struct buf *line, int *skip, const char *p, size_t n,
		     void (*each)(void *ctx, const char *l, size_t len, int too_long),
		     void *ctx);

/* Start a member of a shared build: open its logs and mark it running,
 * with no process of its own (its leader has one).  Returns -1 with err
 * when the logs cannot be made. */
int job_start_member(struct job *j, const char *log_dir, struct cb_err *err);

/* Append text to the job's log as if its build had printed it. */
void job_append(struct job *j, const char *text, size_t n);

/* End a member with its leader's outcome (state, exit status, error),
 * writing the same last line a build of its own would. */
void job_settle_member(struct job *j, const struct job *leader);

/* A finished job that a newer build of its target replaced: its log stays
 * on disk (log_path) but its descriptor is closed, so that a long session
 * does not hold one per build (a pruned log's space is then freed too).
 * Nothing for a job that has not finished. */
void job_drop_log(struct job *j);

/* Close the logs of a member whose shared build failed and queue it
 * again, to be built alone; note goes to its next log first. */
void job_requeue_solo(struct job *j, const char *note);

/* Build in dir instead (CARGO_TARGET_DIR too); only while queued. */
void job_set_target_dir(struct job *j, const char *dir);

/* Read what is ready on fd (one of j->out_fd, j->err_fd).  Returns 0, or 1
 * when fd reached EOF and was closed. */
int job_read(struct job *j, int fd);

/* Give up on the pipes (the build exited but something it started still
 * holds them): keep what was read, close both. */
void job_close_pipes(struct job *j);

/* Record the exit status from waitpid and settle the state once both
 * pipes are closed too.  Returns 1 when the job is now finished. */
int job_reaped(struct job *j, int status);

/* Finish a job whose pipes and process are all done; sets state. */
int job_settle(struct job *j);

/* Ask the whole process group to stop (SIGTERM), recording why
 * (JOB_CANCELLED or JOB_TIMEOUT).  job_kill() sends SIGKILL. */
void job_cancel(struct job *j, enum job_state reason);
void job_kill(struct job *j);

/* Inspect each artifact against the job's target and glibc-max (fills
 * checks; done by the engine when a build passes). */
void job_check_artifacts(struct job *j);

/* 0 when an artifact is not a binary for the target, else 1. */
int job_artifacts_ok(const struct job *j);

/* Seconds since the job started (running) or its duration (finished). */
double job_seconds(const struct job *j);

#endif
