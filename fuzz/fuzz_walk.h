/*
 * fuzz_walk.h: what the libFuzzer targets (fuzz_ext2.c, fuzz_msdos.c)
 * share from fuzz_walk.c: the libFuzzer entry points, which boot, load
 * an input onto the RAM disk, mount, walk, change and unmount.  A target
 * describes its file system in fuzz_target.
 */
#ifndef FUZZ_WALK_H
#define FUZZ_WALK_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#define FUZZ_MNT	"/mnt"

struct fuzz_fs {
	const char	*name;		/* program name for messages */
	const char	*fstype;	/* for rump_sys_mount() */
	size_t		 mdsize;	/* RAM disk bytes */
	size_t		 maxinput;	/* longer inputs are cut */
	size_t		 readlen;	/* the extra pread() of each file */
	off_t		 readoff;
	off_t		 rewrite[2];	/* of the 8 KiB and 100 B rewrites */
	const char	*moveto;	/* directories move to moveto%d */
	void		(*scribble)(void);	/* the target's own changes */
};

/* Each target defines it; fuzz_walk.c's libFuzzer entry points use it. */
extern const struct fuzz_fs fuzz_target;

_Noreturn void	fuzz_fail(const char *, int);

#endif
