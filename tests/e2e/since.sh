# since.sh - what changed since the last green build, on screen: the
# header names a linked worktree, the diagnosis pane says "last passed at
# <commit> (...), N files changed since" with Cargo.lock first, h lists
# the target's past builds with their top diagnosis, Enter opens a past
# build's log.  Outside git the pane says "not a git repository".
# The builds are the fake cargo's; the repository is made with git.
. "$TESTLIB/common.sh"
. "$TESTLIB/tmux.sh"
. "$TESTLIB/tui-fixture.sh"
export GIT_CONFIG_NOSYSTEM=1 HOME="$TESTTMP"
git config --global user.name t; git config --global user.email t@example.com
git config -f proj/.crossbench target.aarch64-unknown-linux-gnu.linker aarch64-linux-gnu-gcc
printf '[[package]]\nname = "app"\nversion = "0.1.0"\n\n[[package]]\nname = "cc"\nversion = "1.0.73"\n' > proj/Cargo.lock
printf 'target/\n' > proj/.gitignore
# The repository's main tree is elsewhere; the user works in a linked
# worktree, which is the project crossbench opens (./proj).
mv proj main-tree
(cd main-tree && git init -q -b main && git add . && git commit -qm green) || fail "git"
green=$(git -C main-tree rev-parse --short=7 HEAD)
git -C main-tree worktree add -q -b work ../proj 2> /dev/null || fail "git worktree add"
# aarch64 passes while scen/broken is absent, and then fails to link.
cat > scen/aarch64-unknown-linux-gnu <<EOS
say "   Compiling app v0.1.0"
if [ ! -e "$TESTTMP/scen/broken" ]; then
	artifact "\$CARGO_TARGET_DIR/aarch64-unknown-linux-gnu/debug/app"
	finish true
	exit 0
fi
message "\$(printf 'error: linking with \`aarch64-linux-gnu-gcc\` failed: exit status: 1\n  = note: /usr/bin/aarch64-linux-gnu-ld: cannot find -lz: No such file or directory')"
finish false
exit 101
EOS
open_bench
wait_for "(linked worktree)"
keys j j b
wait_row aarch64-unknown-linux-gnu passed
# The commit that breaks it: cc bumped, a build script added.
sed -i 's/1.0.73/1.0.79/' proj/Cargo.lock
echo 'fn main() {}' > proj/build.rs
(cd proj && git add . && git commit -qm "bump cc") || fail "git commit"
touch scen/broken
keys b
wait_row aarch64-unknown-linux-gnu failed
wait_for "diagnosis 1/1: target-library-missing"
wait_for "last passed at $green ("
wait_for "2 files changed since (1 commit): Cargo.lock (cc 1.0.73 -> 1.0.79), build.rs"
snap since
# h: the past builds, newest first, each with its top diagnosis.
keys h
wait_for "history: aarch64-unknown-linux-gnu (dev), 2 builds"
wait_for "failed"
wait_re "failed +[0-9]+\.[0-9]s  target-library-missing: The link for aarch64"
snap history
# Enter on the older (passed) build opens its log.
keys j Enter
wait_for "past build: aarch64-unknown-linux-gnu (dev)"
wait_gone "history: aarch64"
keys Escape
keys q
wait_for "[exited 0]"

# Outside git: the rest works, and the pane says so once.
mv proj wt && mkdir proj && cp -a wt/. proj/ && rm -rf proj/.git proj/target
rm -f scen/broken
open_bench
keys j j b
wait_row aarch64-unknown-linux-gnu passed
touch scen/broken
keys b
wait_row aarch64-unknown-linux-gnu failed
wait_for "diagnosis 1/1: target-library-missing"
wait_for "not a git repository"
[ "$(screen | grep -c 'not a git repository')" = 1 ] || fail "said more than once: $(screen)"
keys q
wait_for "[exited 0]"
