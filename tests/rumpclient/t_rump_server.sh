# t_rump_server.sh: the rump_server command: usage, URL errors, the
# socket's mode, clean shutdown on SIGTERM, daemon mode with halting by
# rump.halt.

server=$BUILD/bin/rump_server

# Start "rump_server -sv ARGS... unix://$PWD/sock" in the background,
# wait until it serves; the pid is left in $spid.
start_fg() {
	rm -f server.err	# not the message of an earlier server
	"$server" -sv "$@" "unix://$PWD/sock" 2>server.err &
	spid=$!
	i=0
	while ! grep -qs "serving at" server.err && [ $i -lt 500 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	grep -q "serving at" server.err || atf_fail "server did not start"
}

atf_test_case help_exits_zero
help_exits_zero_head() {
	atf_set "descr" "--help prints the usage and exits 0"
}
help_exits_zero_body() {
	atf_check -o match:"usage: rump_server" "$server" --help
	atf_check -s exit:1 -e match:"usage: rump_server" "$server"
}

atf_test_case bad_url_fails
bad_url_fails_head() {
	atf_set "descr" "a malformed URL fails with a message and status 1"
}
bad_url_fails_body() {
	atf_check -s exit:1 -e match:"bad URL" "$server" -s http://x
	atf_check -s exit:1 -e match:"cannot listen" "$server" -s tcp://nocolon
	atf_check -s exit:1 -e match:"cannot listen" "$server" tcp://1.2.3:x
	touch plain
	atf_check -s exit:1 -e match:"cannot listen" "$server" -s unix://plain
	[ -f plain ] || atf_fail "a regular file was replaced"
}

atf_test_case socket_mode_0600
socket_mode_0600_head() {
	atf_set "descr" "the unix socket is created with mode 0600"
}
socket_mode_0600_body() {
	umask 000
	start_fg
	atf_check -o inline:"600\n" stat -c %a sock
	kill -TERM $spid
	wait $spid || atf_fail "server exited with status $?"
}

atf_test_case sigterm_exits_zero_removes_socket
sigterm_exits_zero_removes_socket_head() {
	atf_set "descr" "SIGTERM halts the kernel, removes the socket and" \
	    "exits 0"
}
sigterm_exits_zero_removes_socket_body() {
	start_fg -l rumpfs_tmpfs
	kill -TERM $spid
	wait $spid || atf_fail "server exited with status $?"
	[ -e sock ] && atf_fail "socket left behind"
	return 0
}

atf_test_case stale_socket_replaced
stale_socket_replaced_head() {
	atf_set "descr" "a socket left by a dead server is replaced; a live" \
	    "server's socket is not"
}
stale_socket_replaced_body() {
	start_fg
	atf_check -s exit:1 -e match:"Address already in use" \
	    "$server" -s "unix://$PWD/sock"
	kill -KILL $spid
	wait $spid
	[ -S sock ] || atf_fail "socket vanished"
	start_fg
	kill -TERM $spid
	wait $spid || atf_fail "server exited with status $?"
}

atf_test_case etfs_option_creates_host_file
etfs_option_creates_host_file_head() {
	atf_set "descr" "-d with a size creates the host file at that size"
}
etfs_option_creates_host_file_body() {
	start_fg -d "key=/dimg,hostpath=$PWD/img,size=1m,type=reg"
	atf_check -o inline:"1048576\n" stat -c %s img
	kill -TERM $spid
	wait $spid || atf_fail "server exited with status $?"
	atf_check -s exit:1 -e match:"bad -d field" \
	    "$server" -s -d "key=/x,bogus=1" "unix://$PWD/sock2"
}

atf_test_case daemon_then_halt
daemon_then_halt_head() {
	atf_set "descr" "without -s the server returns once it listens; " \
	    "rump.halt stops it and the socket goes away"
}
daemon_then_halt_body() {
	atf_check "$server" -l rumpfs_tmpfs "unix://$PWD/sock"
	[ -S sock ] || atf_fail "no socket after rump_server returned"
	RUMP_SERVER=unix://$PWD/sock atf_check "$BUILD/bin/rump.halt"
	i=0
	while [ -e sock ] && [ $i -lt 500 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	[ -e sock ] && atf_fail "socket left behind"
	return 0
}

atf_init_test_cases() {
	atf_add_test_case help_exits_zero
	atf_add_test_case bad_url_fails
	atf_add_test_case socket_mode_0600
	atf_add_test_case sigterm_exits_zero_removes_socket
	atf_add_test_case stale_socket_replaced
	atf_add_test_case etfs_option_creates_host_file
	atf_add_test_case daemon_then_halt
}
