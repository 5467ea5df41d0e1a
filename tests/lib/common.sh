# common.sh - helpers for the shell tests (sourced by tests/lib/runner.sh).
# Each test runs in its own empty directory ($TESTTMP); $CROSSBENCH is the
# binary under test, $TOP the source tree, $TESTBIN the helper programs.
set -u

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "skipped: $*"; exit 77; }

# assert_eq ACTUAL EXPECTED [WHAT]
assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-value}: expected '$2', got '$1'"
}

# assert_contains FILE-OR-TEXT PATTERN [WHAT]: fixed-string search.
assert_contains() {
	if [ -f "$1" ]; then
		grep -qF -- "$2" "$1" || { echo "--- $1:"; head -c 4000 "$1"; fail "${3:-$1}: no '$2'"; }
	else
		printf '%s' "$1" | grep -qF -- "$2" || fail "${3:-text}: no '$2' in: $(printf '%s' "$1" | head -c 2000)"
	fi
}

assert_not_contains() {
	if [ -f "$1" ]; then
		! grep -qF -- "$2" "$1" || fail "${3:-$1}: unexpected '$2'"
	else
		! printf '%s' "$1" | grep -qF -- "$2" || fail "${3:-text}: unexpected '$2'"
	fi
}

# assert_status EXPECTED COMMAND...: run and compare the exit status.
assert_status() {
	want=$1; shift
	"$@"; got=$?
	[ "$got" = "$want" ] || fail "'$*' exited $got, expected $want"
}

# jq-less JSON queries: python3 is on every Debian, but not guaranteed; the
# tests use crossbench's own --json plus this small jansson-free reader.
json_get() { # json_get FILE EXPR  (EXPR is a python expression on j)
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); r=eval(sys.argv[2]); print(json.dumps(r) if isinstance(r,(dict,list)) else r)' "$1" "$2"
}

# A clean environment for real cargo runs: Debian's /usr/bin/cargo runs the
# rustc it finds first on PATH, and rustup's ~/.cargo/bin has no cross std.
clean_env() {
	env -i HOME="$HOME" PATH=/usr/sbin:/usr/bin:/sbin:/bin TERM="${TERM:-dumb}" \
		CROSSBENCH_TRUST="${CROSSBENCH_TRUST-}" XDG_DATA_HOME="${XDG_DATA_HOME-}" "$@"
}

# bin_without DIR PATTERN...: DIR holds a link to every program of /usr/bin
# except those whose names match a case PATTERN, for a PATH on which a
# tool is not installed.
bin_without() {
	_d=$1; shift
	mkdir -p "$_d"
	for _f in /usr/bin/*; do
		_skip=false
		for _p in "$@"; do
			case ${_f##*/} in $_p) _skip=true ;; esac
		done
		$_skip || ln -s "$_f" "$_d/${_f##*/}"
	done
}

# Copy a sample to a writable place so tests never write into the tree.
copy_sample() { # copy_sample NAME DEST
	mkdir -p "$2" && cp -a "$TOP/samples/$1/." "$2/" && mkdir -p "$2/.cargo" &&
	cp "$TOP/samples/.cargo/config.toml" "$2/.cargo/config.toml"
}
