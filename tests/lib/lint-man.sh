. "$TESTLIB/common.sh"
# lint-man.sh - every man page must format without warnings.
for page in "$TOP"/man/*.[0-9]; do
	out=$(mandoc -T lint -W warning "$page" 2>&1)
	if [ -n "$out" ]; then echo "$out"; fail "$page has lint warnings"; fi
	man -l -Tutf8 "$page" >/dev/null 2>&1 || mandoc -Tutf8 "$page" >/dev/null || fail "$page does not format"
done
