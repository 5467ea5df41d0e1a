# tmux.sh - drive the workbench in tmux for the end-to-end tests.
# Sourced after common.sh.  Each test gets its own tmux server (a private
# socket), so tests never see each other or a user's sessions.
# A new socket for every session: a server that is still shutting down
# must not meet the next one.
TMUX_N=0
TMUX_SOCKS=""
TMUX_SOCK="cb-e2e-$$-0"
tm() { tmux -L "$TMUX_SOCK" "$@"; }

# tui_start [WIDTH HEIGHT] -- COMMAND...: run COMMAND in a new session.
tui_start() {
	w=120; h=40
	if [ "$1" != "--" ]; then w=$1; h=$2; shift 2; fi
	shift
	TMUX_N=$((TMUX_N + 1))
	TMUX_SOCK="cb-e2e-$$-$TMUX_N"
	TMUX_SOCKS="$TMUX_SOCKS $TMUX_SOCK"
	printf '%s\n' "$*" > "$TESTTMP/tui.cmd"
	tm -f /dev/null new-session -d -s t -x "$w" -y "$h" \
		"sh $TESTTMP/tui.cmd; echo \"[exited \$?]\"; sleep 600"
	tm set-option -t t remain-on-exit on >/dev/null
	# A build host a test started (sshd.sh) goes with the screen.
	trap 'for s in $TMUX_SOCKS; do tmux -L "$s" kill-server 2>/dev/null; done; ! type stop_sshd >/dev/null 2>&1 || stop_sshd' EXIT
}

keys() { tm send-keys -t t "$@"; }
screen() { tm capture-pane -p -t t; }

# wait_grep -F|-E TEXT [SECONDS]: until the screen has TEXT (grep's -F
# fixed string or -E pattern).
wait_grep() {
	limit=$(( ${3:-15} * 10 )); i=0
	while ! screen | grep -q "$1" -- "$2"; do
		i=$((i + 1))
		if [ $i -ge $limit ]; then
			echo "--- screen:"; screen; fail "screen never showed '$2'"
		fi
		sleep 0.1
	done
}
# wait_for TEXT [SECONDS]: until the screen shows TEXT (fixed string).
wait_for() { wait_grep -F "$1" "${2:-15}"; }
# wait_re PATTERN [SECONDS]: until the screen matches the extended regular
# expression (a time that varies with the machine's load).
wait_re() { wait_grep -E "$1" "${2:-15}"; }

# wait_gone TEXT [SECONDS]: until the screen no longer shows TEXT.
wait_gone() {
	limit=$(( ${2:-15} * 10 )); i=0
	while screen | grep -qF -- "$1"; do
		i=$((i + 1))
		if [ $i -ge $limit ]; then
			echo "--- screen:"; screen; fail "screen kept showing '$1'"
		fi
		sleep 0.1
	done
}

# row TRIPLE: the matrix row of a target.
row() { screen | grep -F -- " $1 " | head -n 1; }

# snap NAME: keep the screen for the record (in the test's directory).
snap() { screen > "$TESTTMP/screen-$1.txt"; }

# wait_row TRIPLE PATTERN [SECONDS]: until the target's matrix row matches
# the grep pattern (a row's state changes after what a build printed).
wait_row() {
	limit=$(( ${3:-15} * 10 )); i=0
	while ! row "$1" | grep -q -- "$2"; do
		i=$((i + 1))
		if [ $i -ge $limit ]; then
			echo "--- screen:"; screen; fail "row $1 never matched '$2'"
		fi
		sleep 0.1
	done
}
