/* cmd_build.c - `crossbench build` (being written; see issue 2). */
#include "cli.h"

int cmd_build(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("build: the engine is not in this commit yet");
	return 2;
}
