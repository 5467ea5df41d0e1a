# sshd.sh - a build host for the tests: Debian's sshd on 127.0.0.1 with
# its own host key, authorized_keys and port, all in the test's directory
# ($T), and an ssh_config naming it "buildhost".  Source it after
# common.sh with T set: it starts sshd (start_sshd) and stops it on exit
# (stop_sshd; a test that sets its own EXIT trap calls it there).
[ -x /usr/sbin/sshd ] || fail "openssh-server is missing: .ci/deps test installs it"
command -v rsync >/dev/null || fail "rsync is missing: .ci/deps test installs it"
ssh-keygen -q -t ed25519 -N '' -f hostkey && ssh-keygen -q -t ed25519 -N '' -f userkey ||
	fail "ssh-keygen"
cp userkey.pub authorized_keys && chmod 600 authorized_keys userkey
# sshd run by root needs its privilege separation directory.
[ "$(id -u)" = 0 ] && mkdir -p /run/sshd
start_sshd() {
	for try in 1 2 3 4 5; do
		# Started again (a test that stopped it): the same port.
		port=${SSHD_PORT:-$(( 20000 + ($$ * 7 + try * 131) % 20000 ))}
		cat > sshd_config <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $T/hostkey
AuthorizedKeysFile $T/authorized_keys
PidFile $T/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
LogLevel ERROR
EOF
		rm -f sshd.pid
		/usr/sbin/sshd -f "$T/sshd_config" -E "$T/sshd.log" && {
			for i in 1 2 3 4 5 6 7 8 9 10; do
				[ -s sshd.pid ] && { SSHD_PORT=$port; return 0; }
				sleep 0.2
			done; }
	done
	cat sshd.log; fail "sshd would not start"
}
stop_sshd() {  # the listener and every session it has: the host goes away
	l=$(cat sshd.pid 2>/dev/null) || return 0
	kill $(pgrep -P "$l") "$l" 2>/dev/null
	rm -f sshd.pid
}
trap 'stop_sshd' EXIT
start_sshd
cat > ssh_config <<EOF
Host buildhost
	HostName 127.0.0.1
	Port $port
	User $(id -un)
	IdentityFile $T/userkey
	IdentitiesOnly yes
	UserKnownHostsFile $T/known_hosts
	StrictHostKeyChecking accept-new
	LogLevel ERROR
EOF
ssh -F ssh_config -o BatchMode=yes buildhost true 2> ssh.err || { cat ssh.err sshd.log; fail "ssh to the test's sshd"; }

