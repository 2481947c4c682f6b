# t_tools.sh: the rump.* tools against a rump_server: rump.sysctl reads
# and sets values, rump.halt stops the server, and both report a missing
# server with its URL.

bin=$BUILD/bin

# Start a foreground server on ./sock; its pid is left in $spid.
start_server() {
	"$bin/rump_server" -sv "unix://$PWD/sock" 2>server.err &
	spid=$!
	i=0
	while ! grep -q "serving at" server.err && [ $i -lt 500 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	grep -q "serving at" server.err || atf_fail "server did not start"
	export RUMP_SERVER="unix://$PWD/sock"
}

atf_test_case help_exits_zero
help_exits_zero_head() {
	atf_set "descr" "every tool's --help prints its usage and exits 0"
}
help_exits_zero_body() {
	for t in halt sysctl; do
		atf_check -o match:"usage: rump.$t" "$bin/rump.$t" --help
	done
}

atf_test_case sysctl_reads_and_writes
sysctl_reads_and_writes_head() {
	atf_set "descr" "rump.sysctl prints strings and numbers and sets" \
	    "a writable value"
}
sysctl_reads_and_writes_body() {
	start_server
	atf_check -o inline:"kern.ostype = rumpk\nhw.ncpu = 1\n" \
	    "$bin/rump.sysctl" kern.ostype hw.ncpu
	atf_check -o inline:"kern.hostname = box\n" \
	    "$bin/rump.sysctl" -w kern.hostname=box
	atf_check -o inline:"box\n" "$bin/rump.sysctl" -n kern.hostname
	atf_check -s exit:1 -e match:"kern.nosuch" \
	    "$bin/rump.sysctl" kern.nosuch
	atf_check -s exit:1 -e match:"not permitted" \
	    "$bin/rump.sysctl" -w hw.ncpu=4
	atf_check "$bin/rump.halt"
	wait $spid || atf_fail "server exited with status $?"
}

atf_test_case no_server_names_url
no_server_names_url_head() {
	atf_set "descr" "without a server the tools fail and name the URL"
}
no_server_names_url_body() {
	export RUMP_SERVER="unix://$PWD/nosuch"
	atf_check -s exit:1 -e match:"$PWD/nosuch: No such file" \
	    "$bin/rump.halt"
	atf_check -s exit:1 -e match:"$PWD/nosuch: No such file" \
	    "$bin/rump.sysctl" kern.ostype
}

atf_init_test_cases() {
	atf_add_test_case help_exits_zero
	atf_add_test_case sysctl_reads_and_writes
	atf_add_test_case no_server_names_url
}
