/* help.c - the `?` screen, made from the key table. */
#include <string.h>

#include "app.h"
#include "pane.h"
#include "colors.h"

/* What the keys do not say: how the artifact check and the smoke run are
 * set (e edits these settings of the selected target), how to read a
 * failure's group and history, and where a target builds. */
static const char help_checks[] =
	"Artifact check and smoke run (settings, e to edit)\n"
	"  floor            the oldest system the program must run on: centos-7,\n"
	"                   debian-10, ubuntu-20.04, rhel-8, amazonlinux-2, alpine...;\n"
	"                   every GLIBC_ and GLIBCXX_ version above it fails the\n"
	"                   check, named with the symbols that need it\n"
	"  glibc-max        the same as a glibc version (2.17)\n"
	"  runner           what starts the program for x: qemu-aarch64 -L\n"
	"                   /usr/aarch64-linux-gnu, /usr/lib/wine/wine64; none for\n"
	"                   the host's own targets\n"
	"  smoke            its arguments (unset: --version; empty: none)\n"
	"  smoke-timeout    how long it may run (unset: 30 s)\n"
	"\n"
	"Reading a failure\n"
	"  [1] target-...   in the diagnosis column: the targets with the same\n"
	"                   number fail for one cause (the same rule and the same\n"
	"                   missing thing); the pane says \"the same cause in N\n"
	"                   targets\" and each other target's own fix\n"
	"  last passed at   in the pane: the commit the target last built at, and\n"
	"                   the files changed since, Cargo.lock's bumps first (h:\n"
	"                   the target's past builds; crossbench history)\n"
	"\n"
	"Building on another machine (settings, e to edit)\n"
	"  host             build there over ssh: [user@]name[:port] or a [host]\n"
	"                   section (address, dir, jobs, ssh, ssh-options); the\n"
	"                   row shows T @host, the log streams from there, the\n"
	"                   artifact comes back to target/crossbench/T/PROFILE/\n"
	"  host-dir         the project's directory there (unset:\n"
	"                   ~/.cache/crossbench/NAME-HASH)\n"
	"  unreachable      ssh could not reach the host or lost it; c cancels the\n"
	"                   build there, its whole process group\n"
	"\n"
	"Go with cgo and C++ (settings, e to edit)\n"
	"  kind             cargo or go; a directory with go.mod and no Cargo.toml\n"
	"                   is go: go build with GOOS/GOARCH/GOARM from the\n"
	"                   triple, CGO_ENABLED=1, CC from cc (else the linker)\n"
	"  buildmode        default (a program), c-shared (a C library: .so or\n"
	"                   .dll, checked against the .h go wrote), c-archive, pie\n"
	"  go               the go program (unset: go on PATH)\n"
	"  cxx              the C++ compiler cc-rs (or cgo) uses; the artifact\n"
	"                   column names the C++ runtime a binary needs\n"
	"\n"
	"Watch mode (w)\n"
	"  watching         in the header: a save of a project file rebuilds the\n"
	"                   enabled targets 150 ms after the last change (at most\n"
	"                   2 s after the first); never target/, .git/ or what git\n"
	"                   ignores; a build a save made stale is cancelled and\n"
	"                   started again; its log starts with the file\n"
	"  stopped          the directory deleted or the inotify watch limit\n"
	"                   (fs.inotify.max_user_watches) reached: the status\n"
	"                   line says so and watching stops; w starts it again\n"
	"  153 ms           a save to the new build's log, median of 50 (two\n"
	"                   cores, 2026-12-07; sh bench/watch.sh reproduces it);\n"
	"                   100 saves in a second start one build\n";

static void help_draw(struct app *a)
{
	struct buf text;
	int h = LINES - 2, w = COLS - 2 > 90 ? 90 : COLS - 2, y = 0, line = 0;
	WINDOW *win;
	const char *p;

	if (h < 4 || w < 20)
		return;
	win = newwin(h, w, 1, (COLS - w) / 2);
	wbkgd(win, (chtype)colors_slot(THEME_NORMAL));
	wattrset(win, (int)colors_slot(THEME_BORDER));
	box(win, 0, 0);
	wattrset(win, (int)colors_slot(THEME_TITLE));
	mvwaddnstr(win, 0, 2, " keys (j/k scroll, any other key closes) ", w - 4);
	buf_init(&text);
	keys_help_text(&text);
	buf_puts(&text, help_checks);
	for (p = text.data; *p; line++) {
		size_t l = strcspn(p, "\n");

		if (line >= a->help_top && y < h - 2) {
			int heading = l && p[0] != ' ';

			wattrset(win, (int)colors_slot(heading ? THEME_TITLE : THEME_NORMAL));
			if (!heading && l > 2) {
				/* "  keys             what they do" */
				int kw = l > 19 ? 19 : (int)l;

				if (kw > w - 4)
					kw = w - 4;
				wattrset(win, (int)colors_slot(THEME_KEY));
				mvwaddnstr(win, y + 1, 2, p, kw);
				wattrset(win, (int)colors_slot(THEME_NORMAL));
				if (l > 19 && w - 23 > 0)
					mvwaddnstr(win, y + 1, 21, p + 19,
						   (int)l - 19 < w - 23 ? (int)l - 19 : w - 23);
			} else {
				mvwaddnstr(win, y + 1, 2, p, w - 4 < (int)l ? w - 4 : (int)l);
			}
			y++;
		}
		p += l;
		if (*p)
			p++;
	}
	buf_fini(&text);
	wnoutrefresh(win);
	delwin(win);
}

static void help_key(struct app *a, int ch)
{
	if (ch == 'j' || ch == KEY_DOWN)
		a->help_top++;
	else if ((ch == 'k' || ch == KEY_UP) && a->help_top > 0)
		a->help_top--;
	else if (ch == KEY_NPAGE || ch == ' ')
		a->help_top += LINES - 4;
	else {
		a->mode = MODE_NORMAL;
		a->dirty |= DIRTY_ALL;
		return;
	}
	a->dirty |= DIRTY_OVERLAY;
}

static int help_pane_key(struct app *a, enum key_action act, int is_key, wint_t ch)
{
	(void)act;
	(void)is_key;
	help_key(a, (int)ch);
	return 1;
}

const struct pane_ops help_pane = { "help", help_draw, help_pane_key, NULL, NULL, NULL };
