/*
 * t_dlopen.c: a program linked only with the kernel base gets file
 * systems by dlopen()ing component libraries before rump_init(); without
 * them the file system calls do not exist.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

/* Load a component from the directory librump was loaded from (by
 * path: sanitizer runtimes intercept dlopen, hiding our runpath). */
static void
load(const char *lib)
{
	Dl_info info;
	char path[4096];
	const char *slash;

	ATF_REQUIRE(dladdr((void *)rump_init, &info) != 0);
	slash = strrchr(info.dli_fname, '/');
	ATF_REQUIRE(slash != NULL);
	snprintf(path, sizeof(path), "%.*s/%s",
	    (int)(slash - info.dli_fname), info.dli_fname, lib);
	ATF_REQUIRE_MSG(dlopen(path, RTLD_NOW | RTLD_GLOBAL) != NULL,
	    "dlopen %s: %s", path, dlerror());
}

ATF_TC_WITHOUT_HEAD(dlopened_components_boot_with_kernel);
ATF_TC_BODY(dlopened_components_boot_with_kernel, tc)
{
	char buf[8] = "";
	int fd;

	load("librumpvfs.so.0");
	load("librumpfs_tmpfs.so.0");
	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_mkdir("/m", 0755), 0);
	ATF_REQUIRE_EQ(rump_sys_mount("tmpfs", "/m", "tmpfs", 0, NULL), 0);
	fd = rump_sys_open("/m/f", O_RDWR | O_CREAT, 0600);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_write(fd, "dl", 2), 2);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0), 2);
	ATF_REQUIRE_STREQ(buf, "dl");
}

ATF_TC_WITHOUT_HEAD(vfs_without_tmpfs_has_no_tmpfs);
ATF_TC_BODY(vfs_without_tmpfs_has_no_tmpfs, tc)
{

	load("librumpvfs.so.0");
	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_mkdir("/m", 0755), 0);
	ATF_REQUIRE_EQ(rump_sys_mount("tmpfs", "/m", "tmpfs", 0, NULL), -1);
	ATF_REQUIRE_EQ(errno, ENODEV);
}

ATF_TC_WITHOUT_HEAD(nothing_loaded_no_file_system_calls);
ATF_TC_BODY(nothing_loaded_no_file_system_calls, tc)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_mkdir("/m", 0755), -1);
	ATF_REQUIRE_EQ(errno, ENOSYS);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, dlopened_components_boot_with_kernel);
	ATF_TP_ADD_TC(tp, vfs_without_tmpfs_has_no_tmpfs);
	ATF_TP_ADD_TC(tp, nothing_loaded_no_file_system_calls);
	return atf_no_error();
}
