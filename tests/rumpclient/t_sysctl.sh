# t_sysctl.sh: rump.sysctl against a rump_server: listing the whole tree
# and subtrees, values printed and new values parsed by their type,
# descriptions.  The expected values come from the server's own
# environment (RUMP_HOSTNAME, RUMP_NCPU) and from getconf.

bin=$BUILD/bin

# Start a foreground server on ./sock with 2 CPUs and host name "box".
start_server() {
	RUMP_NCPU=2 RUMP_HOSTNAME=box "$bin/rump_server" -sv \
	    "unix://$PWD/sock" 2>server.err &
	spid=$!
	i=0
	while ! grep -q "serving at" server.err && [ $i -lt 500 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	grep -q "serving at" server.err || atf_fail "server did not start"
	export RUMP_SERVER="unix://$PWD/sock"
}

stop_server() {
	atf_check "$bin/rump.halt"
	wait $spid || atf_fail "server exited with status $?"
}

atf_test_case all_lists_every_value
all_lists_every_value_head() {
	atf_set "descr" "-a lists every leaf once, in name order, with" \
	    "its value"
}
all_lists_every_value_body() {
	start_server
	"$bin/rump.sysctl" -a >all || atf_fail "rump.sysctl -a failed"
	cut -d' ' -f1 all >names
	sort -c names || atf_fail "not in name order"
	[ "$(sort -u names | wc -l)" = "$(wc -l <names)" ] ||
	    atf_fail "a name is listed twice"
	atf_check -o inline:"hw.ncpu = 2\n" grep '^hw.ncpu ' all
	atf_check -o inline:"kern.hostname = box\n" grep '^kern.hostname ' all
	atf_check -o inline:"hw.pagesize = $(getconf PAGESIZE)\n" \
	    grep '^hw.pagesize ' all
	atf_check -o inline:"hw.machine = $(uname -m)\n" \
	    grep '^hw.machine ' all
	atf_check -o match:'^kern.memlimit = [0-9]+$' grep memlimit all
	atf_check -s exit:1 grep -v ' = ' all
	stop_server
}

atf_test_case node_lists_subtree
node_lists_subtree_head() {
	atf_set "descr" "a node's name lists the values below it only"
}
node_lists_subtree_body() {
	start_server
	"$bin/rump.sysctl" kern >kern || atf_fail "rump.sysctl kern failed"
	"$bin/rump.sysctl" -a | grep '^kern\.' >expect
	atf_check -o file:expect cat kern
	atf_check -o inline:"box\n2\n" "$bin/rump.sysctl" -n kern.hostname \
	    hw.ncpu
	atf_check -s exit:1 -e match:"kern.nosuch: No such file" \
	    "$bin/rump.sysctl" kern.nosuch
	stop_server
}

atf_test_case write_parses_by_type
write_parses_by_type_head() {
	atf_set "descr" "-w parses the new value by the node's type"
}
write_parses_by_type_body() {
	start_server
	atf_check -s exit:1 -e match:"bad value 'abc': Invalid argument" \
	    "$bin/rump.sysctl" -w hw.ncpu=abc
	atf_check -s exit:1 -e match:"bad value '1x': Invalid argument" \
	    "$bin/rump.sysctl" -w hw.ncpu=1x
	atf_check -s exit:1 -e match:"out of range" \
	    "$bin/rump.sysctl" -w hw.ncpu=4294967296
	atf_check -s exit:1 -e match:"not permitted" \
	    "$bin/rump.sysctl" -w hw.ncpu=4
	atf_check -s exit:1 -e match:"Is a directory" \
	    "$bin/rump.sysctl" -w kern=4
	atf_check -o inline:"kern.hostname = 12345\n" \
	    "$bin/rump.sysctl" -w kern.hostname=12345
	atf_check -o inline:"12345\n" "$bin/rump.sysctl" -n kern.hostname
	stop_server
}

atf_test_case descriptions
descriptions_head() {
	atf_set "descr" "-d prints every node's description"
}
descriptions_body() {
	start_server
	atf_check -o inline:"hw.ncpu: number of virtual CPUs\n" \
	    "$bin/rump.sysctl" -d hw.ncpu
	atf_check -o inline:"number of virtual CPUs\n" \
	    "$bin/rump.sysctl" -dn hw.ncpu
	"$bin/rump.sysctl" -da >descr || atf_fail "rump.sysctl -da failed"
	atf_check -s exit:1 grep -E '^[^:]+: *$' descr
	[ "$(wc -l <descr)" = "$("$bin/rump.sysctl" -a | wc -l)" ] ||
	    atf_fail "-da and -a list different nodes"
	stop_server
}

atf_init_test_cases() {
	atf_add_test_case all_lists_every_value
	atf_add_test_case node_lists_subtree
	atf_add_test_case write_parses_by_type
	atf_add_test_case descriptions
}
