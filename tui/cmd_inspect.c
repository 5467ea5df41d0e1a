/* cmd_inspect.c - `crossbench inspect [--json] [--target T] FILE...`: what
 * each file is, in the spirit of file(1), and whether it is right for the
 * target.  Exit 0 when every file matches (or, without --target, was read
 * and is well formed), 1 when any does not, 2 on bad usage or a file that
 * cannot be read. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "artifact.h"
#include "floor.h"
#include "buf.h"
#include "cli.h"
#include "triple.h"

/* Names on the exports line; --json lists them all. */
#define INSPECT_EXPORTS_SHOWN 6

static void usage(FILE *f)
{
	fprintf(f, "usage: crossbench inspect [--json] [--target TRIPLE] "
		   "[--glibc-max VERSION|DISTRO] FILE...\n\n"
		   "Say what each file is (ELF, PE, Mach-O, wasm, ar archive) and,\n"
		   "with --target, whether it is a binary for that triple and what\n"
		   "will break when it runs there.\n\n"
		   "  --glibc-max V   the oldest system it must run on: a glibc version\n"
		   "                  (2.17) or a distribution, whose glibc and libstdc++\n"
		   "                  versions are checked: %s\n", floor_names());
}

static void print_text(const struct artifact *a, int color)
{
	struct buf b;

	buf_init(&b);
	artifact_describe(a, &b);
	cli_put_text(stdout, a->path);
	fputs(": ", stdout);
	cli_put_text(stdout, b.data ? b.data : "");
	putchar('\n');
	/* What a library offers its users; executables keep one line. */
	if (a->kind == ARTIFACT_KIND_SHARED && a->exports_read) {
		buf_reset(&b);
		artifact_describe_exports(a, INSPECT_EXPORTS_SHOWN, &b);
		fputs("  ", stdout);
		cli_put_text(stdout, b.data);
		putchar('\n');
	}
	buf_fini(&b);
	if (a->target && a->matches == ARTIFACT_YES) {
		printf("  %sok%s: a binary for %s\n", color ? "\033[32m" : "",
		       color ? "\033[0m" : "", a->target);
	}
	for (size_t i = 0; i < a->nproblems; i++) {
		const char *c = a->problems[i].severity == ARTIFACT_WARNING ? "\033[33m"
									: "\033[31m";
		fputs("  ", stdout);
		if (color)
			fputs(c, stdout);
		cli_put_text(stdout, a->problems[i].text);
		if (color)
			fputs("\033[0m", stdout);
		putchar('\n');
	}
}

int cmd_inspect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "target", required_argument, NULL, 't' },
		{ "glibc-max", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *target = NULL, *glibc_max = NULL;
	int json = 0, c, status = 0, color;
	struct triple t;
	struct cb_err err;
	int first = 1;

	while ((c = getopt_long(argc, argv, "jt:g:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 't': target = optarg; break;
		case 'g': glibc_max = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		cli_error("inspect: no file named");
		usage(stderr);
		return 2;
	}
	if (target && triple_parse(&t, target, &err) < 0) {
		cli_error("inspect: --target: %s", err.msg);
		return 2;
	}
	if (glibc_max) {
		struct floor f;

		if (floor_resolve(glibc_max, &f) < 0) {
			cli_error("inspect: --glibc-max '%s' is neither a version like "
				  "2.17 nor a distribution (%s)", glibc_max, floor_names());
			return 2;
		}
	}
	color = !json && cli_color();
	/* JSON is streamed, one object per file, so memory stays flat over
	 * thousands of files and nothing is written in small pieces. */
	if (json)
		fputs("{\"artifacts\": [", stdout);
	for (int i = optind; i < argc; i++) {
		struct artifact a;

		cb_err_clear(&err);
		if (artifact_inspect(argv[i], &a, &err) < 0) {
			cli_error("inspect: %s", err.msg);
			artifact_fini(&a);
			status = 2;
			continue;
		}
		artifact_check(&a, target ? &t : NULL, glibc_max);
		if ((a.matches == ARTIFACT_NO || a.nfindings) && status == 0)
			status = 1;
		if (json) {
			json_t *o = artifact_to_json(&a);
			char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

			printf("%s\n%s", first ? "" : ",", text ? text : "null");
			first = 0;
			free(text);
			json_decref(o);
		} else
			print_text(&a, color);
		artifact_fini(&a);
	}
	if (json)
		fputs("\n]}\n", stdout);
	fflush(stdout);
	return status;
}
