# settings_kill.sh - saves are atomic: a process saving settings the way
# the workbench does (savehammer: a scalar as the editor saves it, a list
# as f does, enabled as space does) is killed with SIGKILL at random
# moments, $SAVE_KILLS times (default 100; the issue's run used 500).
# After every kill .crossbench parses, holds every comment and section in
# the user's order, and each value is one a save wrote.  A lock left by a
# kill makes the next save fail with a message naming it, and never
# changes the file.
. "$TESTLIB/common.sh"
mkdir proj
printf '[package]\nname = "app"\nversion = "0.1.0"\n' > proj/Cargo.toml
cat > proj/.crossbench <<'EOC'
# The team's settings: keep this comment.
[crossbench]
	jobs = 2
# Windows through MinGW
[target "x86_64-pc-windows-gnu"]
	enabled = true
	linker = x86_64-w64-mingw32-gcc   # the posix one
[target "aarch64-unknown-linux-gnu"]
	# set by hand
	linker = aarch64-linux-gnu-gcc
	libpath = /opt/a
EOC
hammer=$TESTBIN/savehammer
check() { # check WHEN
	f=proj/.crossbench
	git config -f $f --list > list.txt 2> err.txt || fail "$1: .crossbench does not parse: $(cat err.txt)"
	for c in "# The team's settings: keep this comment." "# Windows through MinGW" \
		 "# set by hand" "# the posix one"; do
		grep -qF -- "$c" $f || { cat $f; fail "$1: lost the comment '$c'"; }
	done
	order=$(grep -n '^\[' $f | cut -d: -f2 | tr '\n' ' ')
	assert_eq "$order" '[crossbench] [target "x86_64-pc-windows-gnu"] [target "aarch64-unknown-linux-gnu"] ' "$1: sections"
	assert_eq "$(git config -f $f crossbench.jobs)" 2 "$1: jobs"
	l=$(git config -f $f target.aarch64-unknown-linux-gnu.linker)
	case $l in aarch64-linux-gnu-gcc|/opt/x/bin/cc|clang) ;; *) fail "$1: linker '$l'" ;; esac
	p=$(git config -f $f --get-all target.aarch64-unknown-linux-gnu.libpath | tr '\n' ' ')
	case $p in "/opt/a "|"/opt/a /opt/b "|"/usr/lib/x /opt/y /z ") ;; *) fail "$1: libpath '$p'" ;; esac
	e=$(git config -f $f target.x86_64-pc-windows-gnu.enabled)
	case $e in true|false) ;; *) fail "$1: enabled '$e'" ;; esac
	extra=$(ls -A proj | grep -v -x -e Cargo.toml -e .crossbench -e .crossbench.lock)
	[ -z "$extra" ] || fail "$1: left behind: $extra"
}
# Without kills: 60 saves keep everything.
"$hammer" proj 60 || fail "savehammer failed without kills"
check "after 60 saves"

n=${SAVE_KILLS:-100}; i=0; stale=0
while [ $i -lt $n ]; do
	"$hammer" proj &
	pid=$!
	sleep "$(awk -v s=$i 'BEGIN { srand(s + 1); printf "%.3f", rand() * 0.05 }')"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	check "after kill $i"
	if [ -e proj/.crossbench.lock ]; then
		stale=$((stale + 1))
		cp proj/.crossbench before.txt
		"$hammer" proj 3 2> err.txt && fail "saves went ahead past a stale lock"
		assert_contains err.txt ".crossbench.lock"
		cmp -s before.txt proj/.crossbench || fail "a save refused for a lock changed the file"
		rm proj/.crossbench.lock
	fi
	i=$((i + 1))
done
echo "settings_kill: $n kills, $stale left a lock"
exit 0
