# Builds on a host, scheduled: with the fake ssh (tests/lib/fake-ssh, the
# "host" is this machine) and the fake cargo.  A host's jobs setting says
# how many of its builds run at once; remote builds take no local
# jobserver slot (a local build runs beside them with --jobs 1) and get no
# jobserver of ours; the command there gets CARGO_TARGET_DIR of its own;
# the artifact comes back; a host that is down is "unreachable" at once.
. "$TESTLIB/common.sh"
. "$TESTLIB/build-fixture.sh"
W=x86_64-pc-windows-gnu
R=aarch64-unknown-linux-gnu
L=i686-pc-windows-gnu
for t in $W $R $L; do
	add_target $t
	cat > scen/$t <<'EOS'
echo "start $target" >> "$FAKE_CARGO_DIR/order"
sleep 0.6
echo "end $target" >> "$FAKE_CARGO_DIR/order"
d=${CARGO_TARGET_DIR:-target}
case $d in /*) ;; *) d=$PWD/$d ;; esac
artifact "$d/$target/debug/app"
finish true
EOS
done
cat >> proj/.crossbench <<EOF
[target "$W"]
	host = box
[target "$R"]
	host = box
[host "box"]
	ssh = $TOP/tests/lib/fake-ssh
	dir = $PWD/there
	jobs = 1
EOF
started_before_end() {  # started_before_end A B: A started before B ended
	awk -v a="start $1" -v b="end $2" '$0==a{sa=NR} $0==b{eb=NR} END{exit !(sa && eb && sa < eb)}' scen/order
}
overlap() { started_before_end "$1" "$2" && started_before_end "$2" "$1"; }

"$CROSSBENCH" build -C proj --trust --jobs 1 --json > one.json 2> err.txt
assert_eq "$?" 0 "three builds, two on the host: $(cat err.txt)"
# jobs = 1 on the host: its two builds one after the other.
overlap $W $R && fail "two builds at once on a host with jobs = 1: $(cat scen/order)"
# The local build ran beside them although --jobs is 1.
overlap $L $W || overlap $L $R || fail "the local build waited for a remote one: $(cat scen/order)"
for t in $W $R; do
	r="[x for x in j['results'] if x['target']=='$t'][0]"
	assert_eq "$(json_get one.json "$r['host']")" box
	assert_eq "$(json_get one.json "$r['artifacts'][0]")" "$PWD/proj/target/crossbench/$t/dev/app" "$t's artifact here"
	assert_eq "$(json_get one.json "$r['artifacts_ok']")" True "$t's artifact check"
	[ -f "there/target/crossbench/build/$t/$t/debug/app" ] || fail "$t was not built in its own directory there"
done
assert_eq "$(json_get one.json "[x for x in j['results'] if x['target']=='$L'][0]['host']")" None
# What ran there: its own target directory, no jobserver of ours.
grep -A20 "argv: build --target $W" scen/calls.log | sed '/^argv:/{x;/./q;x}' > w.calls
assert_contains w.calls "env: CARGO_TARGET_DIR=target/crossbench/build/$W"
assert_not_contains w.calls "CARGO_MAKEFLAGS"
assert_contains scen/ssh.log "[BatchMode=yes]"
assert_contains scen/ssh.log "[ServerAliveInterval=5]"

# jobs = 2: both at once.
git config -f proj/.crossbench host.box.jobs 2
rm -f scen/order
"$CROSSBENCH" build -C proj --trust --target $W --target $R > two.txt 2>&1 || { cat two.txt; fail "jobs = 2"; }
overlap $W $R || fail "jobs = 2 ran one at a time: $(cat scen/order)"

# A host that is down: unreachable, with ssh's words, and no wait.
touch scen/ssh-down
"$CROSSBENCH" build -C proj --trust --target $W --target $L --json > down.json 2> err.txt
assert_eq "$?" 1 "a build whose host is down"
r="[x for x in j['results'] if x['target']=='$W'][0]"
assert_eq "$(json_get down.json "$r['status']")" unreachable
assert_contains "$(json_get down.json "$r['log']")" "Connection refused"
assert_contains "$(json_get down.json "$r['log']")" "host box unreachable (cannot connect)"
assert_eq "$(json_get down.json "[x for x in j['results'] if x['target']=='$L'][0]['status']")" passed \
	"the local target beside it"
"$CROSSBENCH" build -C proj --trust --target $W > down.txt 2>&1
assert_contains down.txt "unreachable"
rm scen/ssh-down

# No ssh on this machine: said so, a failed build, not the host's fault.
git config -f proj/.crossbench host.box.ssh /nonexistent/ssh
"$CROSSBENCH" build -C proj --trust --target $W --json > nossh.json 2> err.txt
r="j['results'][0]"
assert_eq "$(json_get nossh.json "$r['status']")" failed "without ssh"
assert_contains "$(json_get nossh.json "$r['log']")" "/nonexistent/ssh: not found on this machine (install openssh-client)"
"$CROSSBENCH" doctor -C proj --trust --target $W > nossh-doctor.txt 2>&1
assert_contains nossh-doctor.txt "no /nonexistent/ssh on this machine"
git config -f proj/.crossbench host.box.ssh "$TOP/tests/lib/fake-ssh"

# A bad host setting names its file and line; nothing runs for it.
git config -f proj/.crossbench target.$R.host "-oProxyCommand=touch $PWD/pwned"
"$CROSSBENCH" build -C proj --trust --target $R > bad.txt 2>&1
assert_contains bad.txt "proj/.crossbench"
assert_contains bad.txt "cannot start with '-'"
[ -e pwned ] && fail "a host setting ran a command"
exit 0
