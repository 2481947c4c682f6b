/*
 * t_boot.c: booting and halting the full kernel (vfs and tmpfs linked):
 * the common boot cases, plus halting with mounted, busy file systems.
 */
#include "h_boot.h"

ATF_TC_WITHOUT_HEAD(halt_unmounts_busy_tmpfs);
ATF_TC_BODY(halt_unmounts_busy_tmpfs, tc)
{
	int fd;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_mkdir("/mnt", 0755), 0);
	ATF_REQUIRE_EQ(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0, NULL), 0);
	ATF_REQUIRE_EQ(rump_sys_mkdir("/mnt/d", 0755), 0);
	ATF_REQUIRE_EQ(rump_sys_chdir("/mnt/d"), 0);
	fd = rump_sys_open("/mnt/f", O_RDWR | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_umount("/mnt"), -1);
	ATF_REQUIRE_EQ(errno, EBUSY);
	ATF_REQUIRE_EQ(HALT(), 0);
}

ATF_TP_ADD_TCS(tp)
{

	BOOT_ADD_TCS(tp);
	ATF_TP_ADD_TC(tp, halt_unmounts_busy_tmpfs);
	return atf_no_error();
}
