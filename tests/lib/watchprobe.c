/* watchprobe.c - core/watch.c on a directory, for bench/watch-tree.sh.
 *
 *   watchprobe DIR [--events]
 *
 * Opens a watch on DIR and prints `ready DIRS MS` (directories watched,
 * milliseconds watch_open took) and `VmHWM KIB` (peak resident memory
 * so far, from /proc/self/status).  With --events it then prints each
 * debounced change as `change FIRST N` until killed, driving the watch
 * with poll() as the engine does; without, it exits.  Watching stopped:
 * `stopped MESSAGE` on stderr, exit 1. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "watch.h"

static long vm_hwm_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct cb_err err;
	struct watch *w;
	int events = argc > 2 && strcmp(argv[2], "--events") == 0;

	if (argc < 2) {
		fprintf(stderr, "usage: watchprobe DIR [--events]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	w = watch_open(argv[1], &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!w) {
		fprintf(stderr, "watchprobe: %s\n", err.msg);
		return 1;
	}
	printf("ready %zu %.1f\n", watch_count(w),
	       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	printf("VmHWM %ld\n", vm_hwm_kib());
	fflush(stdout);
	while (events) {
		struct pollfd p = { watch_fd(w), POLLIN, 0 };
		char *first;
		size_t n;

		if (poll(&p, 1, watch_timeout_ms(w)) > 0 && (p.revents & POLLIN))
			watch_read(w);
		switch (watch_take(w, &first, &n)) {
		case 1:
			printf("change %s %zu\n", first, n);
			fflush(stdout);
			free(first);
			break;
		case -1:
			fprintf(stderr, "stopped %s\n", watch_error(w));
			watch_close(w);
			return 1;
		}
	}
	watch_close(w);
	return 0;
}
