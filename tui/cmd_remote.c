/* cmd_remote.c - `crossbench remote-run`: the process a build on another
 * machine runs as (remote.h).  Not for people: the engine starts it with
 * the words remote_request_words() made. */
#include <stdio.h>

#include "cli.h"
#include "remote.h"

int cmd_remote_run(int argc, char **argv)
{
	struct remote_request r;
	struct cb_err err;
	int rc;

	remote_request_init(&r);
	if (remote_request_parse(&r, argc - 1, argv + 1, &err) < 0) {
		cli_error("%s", err.msg);
		remote_request_fini(&r);
		return 2;
	}
	rc = remote_run(&r);
	remote_request_fini(&r);
	return rc;
}
