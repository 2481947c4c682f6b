/*
 * t_boot_kernonly.c: the kernel base alone (no vfs component linked)
 * boots and serves its own system calls; file system calls are absent.
 */
#include "h_boot.h"

ATF_TC_WITHOUT_HEAD(kernonly_has_no_file_system_calls);
ATF_TC_BODY(kernonly_has_no_file_system_calls, tc)
{
	int fds[2];
	char c;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_open("/x", O_RDONLY), -1);
	ATF_REQUIRE_EQ(errno, ENOSYS);
	ATF_REQUIRE_EQ(rump_sys_pipe(fds), 0);
	ATF_REQUIRE_EQ(rump_sys_write(fds[1], "x", 1), 1);
	ATF_REQUIRE_EQ(rump_sys_read(fds[0], &c, 1), 1);
	ATF_REQUIRE_EQ(c, 'x');
	ATF_REQUIRE_EQ(HALT(), 0);
}

ATF_TP_ADD_TCS(tp)
{

	BOOT_ADD_TCS(tp);
	ATF_TP_ADD_TC(tp, kernonly_has_no_file_system_calls);
	return atf_no_error();
}
