# settings_safety.sh - a save never loses settings: a .crossbench that
# does not parse is reported with file and line and no save touches it; a
# read-only project and a full disk give a message naming the file, and
# leave it (and the directory) as they were.  The saves are savehammer's,
# the workbench's own code path (config_set).
. "$TESTLIB/common.sh"
hammer=$TESTBIN/savehammer
mkproj() {
	mkdir -p "$1"
	printf '[package]\nname = "app"\nversion = "0.1.0"\n' > "$1/Cargo.toml"
	printf '# mine\n[target "aarch64-unknown-linux-gnu"]\n\tlinker = aarch64-linux-gnu-gcc\n' > "$1/.crossbench"
}

# A file libgit2 cannot parse: file and line in the warning; saves refuse.
mkproj bad
printf '[target "x86_64-pc-windows-gnu"\n\tlinker = x\n' >> bad/.crossbench
cp bad/.crossbench bad.before
"$CROSSBENCH" build -C bad --trust > out.txt 2> err.txt
assert_contains err.txt "$PWD/bad/.crossbench:4:"
"$hammer" bad 3 2> err.txt && fail "a save went ahead on a file that does not parse"
assert_contains err.txt "$PWD/bad/.crossbench"
cmp -s bad.before bad/.crossbench || fail "a refused save changed the file"
[ -z "$(ls -A bad | grep -v -x -e Cargo.toml -e .crossbench)" ] || fail "left behind: $(ls -A bad)"

# Read-only: as a user, a directory without write permission; as root
# (who ignores that), a read-only tmpfs.
mkproj ro
cp ro/.crossbench ro.before
if [ "$(id -u)" != 0 ]; then
	chmod 555 ro
	ro_ok=1
elif mkdir -p romnt && mount -t tmpfs -o size=1m tmpfs romnt 2>/dev/null; then
	cp -a ro/. romnt/ && mount -o remount,ro romnt && rm -rf ro && ln -s romnt ro && ro_ok=1
else
	echo "settings_safety: cannot mount a read-only tmpfs here; read-only case not run"
	ro_ok=0
fi
if [ "$ro_ok" = 1 ]; then
	"$hammer" ro 3 2> err.txt && fail "a save into a read-only project succeeded"
	assert_contains err.txt ".crossbench"
	grep -q -e "Read-only file system" -e "Permission denied" err.txt || fail "no reason given: $(cat err.txt)"
	cmp -s ro.before ro/.crossbench || fail "a refused save changed the file"
	[ -d romnt ] && umount romnt
	[ "$(id -u)" != 0 ] && chmod 755 ro
fi

# A full disk: a small tmpfs filled to the last byte.
if [ "$(id -u)" = 0 ] && mkdir -p full && mount -t tmpfs -o size=64k tmpfs full 2>/dev/null; then
	mkproj full/p
	i=0; while [ $i -lt 40 ]; do printf 'x%.0s' $(seq 1 300) >> full/p/linker-notes.txt; i=$((i + 1)); done
	cp full/p/.crossbench full.before
	dd if=/dev/zero of=full/filler bs=1k count=1000 2>/dev/null
	"$hammer" full/p 3 2> err.txt && fail "a save on a full disk succeeded"
	assert_contains err.txt ".crossbench"
	assert_contains err.txt "No space left on device"
	cmp -s full.before full/p/.crossbench || fail "a save on a full disk changed the file"
	left=$(ls -A full/p | grep -v -x -e Cargo.toml -e .crossbench -e linker-notes.txt)
	[ -z "$left" ] || fail "a failed save left behind: $left"
	umount full
else
	echo "settings_safety: cannot mount a small tmpfs here; full-disk case not run"
fi
exit 0
