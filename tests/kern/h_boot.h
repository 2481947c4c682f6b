/*
 * h_boot.h: boot and halt test cases shared by t_boot (full kernel) and
 * t_boot_kernonly (librump alone, no vfs component linked).
 */
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/reboot.h>
#include <stdlib.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define HALT() rump_sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, \
	LINUX_REBOOT_CMD_HALT, NULL)

ATF_TC_WITHOUT_HEAD(syscall_before_boot_fails_enxio);
ATF_TC_BODY(syscall_before_boot_fails_enxio, tc)
{

	ATF_REQUIRE_EQ(rump_sys_getpid(), -1);
	ATF_REQUIRE_EQ(errno, ENXIO);
}

ATF_TC_WITHOUT_HEAD(init_twice_is_harmless);
ATF_TC_BODY(init_twice_is_harmless, tc)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_getpid(), 1);
}

ATF_TC_WITHOUT_HEAD(ncpu_zero_refused);
ATF_TC_BODY(ncpu_zero_refused, tc)
{

	setenv("RUMP_NCPU", "0", 1);
	ATF_REQUIRE_EQ(rump_init(), EINVAL);
}

ATF_TC_WITHOUT_HEAD(ncpu_too_many_refused);
ATF_TC_BODY(ncpu_too_many_refused, tc)
{

	setenv("RUMP_NCPU", "65", 1);
	ATF_REQUIRE_EQ(rump_init(), EINVAL);
}

ATF_TC_WITHOUT_HEAD(unknown_syscall_enosys);
ATF_TC_BODY(unknown_syscall_enosys, tc)
{
	long args[6] = { 0 };

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_syscall(450, args), -1);
	ATF_REQUIRE_EQ(errno, ENOSYS);
	ATF_REQUIRE_EQ(rump_syscall(-1, args), -1);
	ATF_REQUIRE_EQ(errno, ENOSYS);
	ATF_REQUIRE_EQ(rump_syscall(100000, args), -1);
	ATF_REQUIRE_EQ(errno, ENOSYS);
}

ATF_TC_WITHOUT_HEAD(halt_stops_kernel);
ATF_TC_BODY(halt_stops_kernel, tc)
{
	int fds[2];

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_pipe(fds), 0);
	ATF_REQUIRE_EQ(HALT(), 0);
	ATF_REQUIRE_EQ(rump_sys_getpid(), -1);
	ATF_REQUIRE_EQ(errno, ENXIO);
	ATF_REQUIRE_EQ(HALT(), -1);
	ATF_REQUIRE_EQ(errno, ENXIO);
}

ATF_TC_WITHOUT_HEAD(reboot_bad_magic_einval);
ATF_TC_BODY(reboot_bad_magic_einval, tc)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_reboot(1, 2, LINUX_REBOOT_CMD_HALT, NULL), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	ATF_REQUIRE_EQ(rump_sys_getpid(), 1);
}

ATF_TC_WITHOUT_HEAD(reboot_needs_root);
ATF_TC_BODY(reboot_needs_root, tc)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	ATF_REQUIRE_EQ(rump_sys_setuid(1000), 0);
	ATF_REQUIRE_EQ(HALT(), -1);
	ATF_REQUIRE_EQ(errno, EPERM);
	rump_pub_lwproc_releaselwp();
	ATF_REQUIRE_EQ(HALT(), 0);
}

ATF_TC_WITHOUT_HEAD(ncpu_garbage_refused);
ATF_TC_BODY(ncpu_garbage_refused, tc)
{

	setenv("RUMP_NCPU", "two", 1);
	ATF_REQUIRE_EQ(rump_init(), EINVAL);
}

ATF_TC_WITHOUT_HEAD(memlimit_garbage_refused);
ATF_TC_BODY(memlimit_garbage_refused, tc)
{

	setenv("RUMP_MEMLIMIT", "12q", 1);
	ATF_REQUIRE_EQ(rump_init(), EINVAL);
}

ATF_TC_WITHOUT_HEAD(power_off_exits_process);
ATF_TC_BODY(power_off_exits_process, tc)
{
	pid_t pid;
	int status;

	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		if (rump_init() != 0)
			_exit(2);
		rump_sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		    LINUX_REBOOT_CMD_POWER_OFF, NULL);
		_exit(3);
	}
	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	ATF_REQUIRE(WIFEXITED(status));
	ATF_REQUIRE_EQ(WEXITSTATUS(status), 0);
}

ATF_TC_WITHOUT_HEAD(restart_not_supported);
ATF_TC_BODY(restart_not_supported, tc)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_reboot(LINUX_REBOOT_MAGIC1,
	    LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_RESTART, NULL), -1);
	ATF_REQUIRE_EQ(errno, EOPNOTSUPP);
}

ATF_TC_WITHOUT_HEAD(getversion_matches_header);
ATF_TC_BODY(getversion_matches_header, tc)
{

	ATF_REQUIRE_EQ(rump_getversion(), RUMPK_VERSION);
}

#define BOOT_ADD_TCS(tp) do {						\
	ATF_TP_ADD_TC((tp), syscall_before_boot_fails_enxio);	\
	ATF_TP_ADD_TC((tp), init_twice_is_harmless);	\
	ATF_TP_ADD_TC((tp), ncpu_zero_refused);	\
	ATF_TP_ADD_TC((tp), ncpu_too_many_refused);	\
	ATF_TP_ADD_TC((tp), ncpu_garbage_refused);	\
	ATF_TP_ADD_TC((tp), memlimit_garbage_refused);	\
	ATF_TP_ADD_TC((tp), unknown_syscall_enosys);	\
	ATF_TP_ADD_TC((tp), halt_stops_kernel);	\
	ATF_TP_ADD_TC((tp), reboot_bad_magic_einval);	\
	ATF_TP_ADD_TC((tp), reboot_needs_root);	\
	ATF_TP_ADD_TC((tp), power_off_exits_process);	\
	ATF_TP_ADD_TC((tp), restart_not_supported);	\
	ATF_TP_ADD_TC((tp), getversion_matches_header);	\
} while (0)
