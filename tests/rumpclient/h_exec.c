/*
 * h_exec.c: the program t_rumpclient's exec test runs with
 * rumpclient_exec().  Arguments: the kernel pid before exec, a
 * descriptor that must survive and one opened close-on-exec.  Exits 0
 * if the connection continued the same process with the right fds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

int
main(int argc, char **argv)
{
	struct stat st;
	char buf[8] = "";

	if (argc != 4 || rumpclient_init() != 0)
		return 1;
	if (rump_sys_getpid() != atoi(argv[1]))
		return 2;
	if (rump_sys_pread(atoi(argv[2]), buf, 4, 0) != 4 ||
	    strcmp(buf, "exec") != 0)
		return 3;
	if (rump_sys_fstat(atoi(argv[3]), &st) != -1 || errno != EBADF)
		return 4;
	return 0;
}
