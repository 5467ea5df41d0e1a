/* err.c - filling struct cb_err. */
#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cb_err_clear(struct cb_err *e)
{
	if (!e)
		return;
	e->code = CB_OK;
	e->sys_errno = 0;
	e->msg[0] = '\0';
}

int cb_err_set(struct cb_err *e, enum cb_err_code code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	e->code = code;
	e->sys_errno = 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

int cb_err_sys(struct cb_err *e, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	size_t n;

	if (!e)
		return -1;
	e->code = CB_ERR_IO;
	e->sys_errno = saved;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	n = strlen(e->msg);
	snprintf(e->msg + n, sizeof e->msg - n, ": %s", strerror(saved));
	errno = saved;
	return -1;
}

void cb_err_prefix(struct cb_err *e, const char *fmt, ...)
{
	char old[sizeof e->msg];
	size_t hl, ol;
	va_list ap;
	int n;

	if (!e)
		return;
	memcpy(old, e->msg, sizeof old);
	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	hl = n < 0 ? 0 : (size_t)n;
	if (hl >= sizeof e->msg - 1)
		return;
	/* Keep as much of the old message as fits after the prefix. */
	ol = strnlen(old, sizeof old - 1);
	if (ol > sizeof e->msg - 1 - hl)
		ol = sizeof e->msg - 1 - hl;
	memcpy(e->msg + hl, old, ol);
	e->msg[hl + ol] = '\0';
}
