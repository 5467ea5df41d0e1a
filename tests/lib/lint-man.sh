. "$TESTLIB/common.sh"
# lint-man.sh - every man page must format without warnings.
for page in "$TOP"/man/*.[0-9]; do
	out=$(mandoc -T lint -W warning "$page" 2>&1)
	if [ -n "$out" ]; then echo "$out"; fail "$page has lint warnings"; fi
	man -l -Tutf8 "$page" >/dev/null 2>&1 || mandoc -Tutf8 "$page" >/dev/null || fail "$page does not format"
done

# crossbench(1)'s KEYS section is what the key table makes (make man-keys).
got=$(awk '/^\.\\" KEYS:/ { on = 1; next } /^\.\\" END KEYS/ { on = 0 } on' "$TOP/man/crossbench.1")
want=$("$CROSSBENCH" keys --mdoc)
[ "$got" = "$want" ] || { printf '%s\n' "$got" > page.txt; printf '%s\n' "$want" > table.txt
	diff page.txt table.txt; fail "crossbench.1's KEYS section differs from the key table: run make man-keys"; }
