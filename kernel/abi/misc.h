/*
 * misc.h: smaller Linux ABI pieces: iovec, pollfd, utsname, reboot(2)
 * magic and commands.
 */
#ifndef _ABI_MISC_H_
#define _ABI_MISC_H_

#include <kern/types.h>

struct iovec {
	void	*iov_base;
	size_t	 iov_len;
};
#define IOV_MAX	1024

struct pollfd {
	int	fd;
	short	events;
	short	revents;
};
#define POLLIN		0x0001
#define POLLPRI		0x0002
#define POLLOUT		0x0004
#define POLLERR		0x0008
#define POLLHUP		0x0010
#define POLLNVAL	0x0020
#define POLLRDNORM	0x0040
#define POLLRDBAND	0x0080
#define POLLWRNORM	0x0100
#define POLLWRBAND	0x0200

#define UTSNAME_LEN	65
struct utsname {
	char	sysname[UTSNAME_LEN];
	char	nodename[UTSNAME_LEN];
	char	release[UTSNAME_LEN];
	char	version[UTSNAME_LEN];
	char	machine[UTSNAME_LEN];
	char	domainname[UTSNAME_LEN];
};

#define LINUX_REBOOT_MAGIC1		0xfee1dead
#define LINUX_REBOOT_MAGIC2		672274793
#define LINUX_REBOOT_CMD_RESTART	0x01234567
#define LINUX_REBOOT_CMD_HALT		0xcdef0123
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321fedc

#define NGROUPS_MAX	65536
#define PATH_MAX	4096
#define NAME_MAX	255
#define MAXSYMLINKS	40

#endif /* _ABI_MISC_H_ */
