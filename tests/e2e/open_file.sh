# o opens the file a diagnosis points at in $EDITOR at its line (a path
# relative to the project is resolved), and the screen comes back whole.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
cat > editor.sh <<EOS
#!/bin/sh
printf '%s\n' "\$@" > "$PWD/editor.args"
EOS
chmod +x editor.sh
EDITOR="$PWD/editor.sh"
. "$TESTLIB/tui-fixture.sh"
mkdir -p proj/src && printf '#include <stdio.h>\n' > proj/src/add.c
cat > scen/x86_64-pc-windows-gnu <<'EOS'
say "   Compiling app v0.1.0"
say "warning: src/add.c:1:10: fatal error: stdio.h: No such file or directory"
say "error: failed to run custom build command for \`app v0.1.0\`"
finish false
exit 101
EOS
open_bench
keys j b
wait_for "missing-target-headers"
wait_for "o open the file"
keys o
i=0; while [ ! -s editor.args ]; do i=$((i + 1)); [ $i -gt 100 ] && fail "the editor never ran"; sleep 0.1; done
assert_eq "$(cat editor.args)" "$(printf '+1\n%s/proj/src/add.c' "$PWD")" "editor arguments"
wait_for "back from"
screen | head -n 1 | grep -q crossbench || fail "header gone after the editor: $(screen)"
wait_row x86_64-pc-windows-gnu failed
keys q
wait_for "[exited 0]"
