/* err.h - the error value every fallible core call fills in.
 *
 * core never prints and never exits: a function that can fail returns -1
 * (or NULL) and describes the failure in a struct cb_err owned by the
 * caller.  The front end shows err.msg, which already names the file, line
 * or setting that was wrong.
 */
#ifndef CB_ERR_H
#define CB_ERR_H

#include <stddef.h>

enum cb_err_code {
	CB_OK = 0,
	CB_ERR_IO,       /* a system call failed; sys_errno says which errno */
	CB_ERR_PARSE,    /* a file or value could not be understood */
	CB_ERR_USAGE,    /* the caller asked for something that makes no sense */
	CB_ERR_EXEC,     /* a program could not be started */
	CB_ERR_NOTFOUND, /* a file, program or name does not exist */
	CB_ERR_LIB,      /* libgit2, pcre2 or jansson reported an error */
	CB_ERR_UNTRUSTED, /* the project's settings are not allowed to run programs */
};

struct cb_err {
	enum cb_err_code code;
	int sys_errno;
	char msg[1024];
};

/* Clear an error value. */
void cb_err_clear(struct cb_err *e);

/* Fill e with code and a printf-style message; returns -1 so callers can
 * write `return cb_err_set(err, ...)`.  e may be NULL. */
int cb_err_set(struct cb_err *e, enum cb_err_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like cb_err_set with CB_ERR_IO, appending ": strerror(errno)" and keeping
 * errno in sys_errno.  Returns -1. */
int cb_err_sys(struct cb_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefix an existing message with more context ("file.c: " + old). */
void cb_err_prefix(struct cb_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
