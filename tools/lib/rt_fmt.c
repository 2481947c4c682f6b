/*
 * rt_fmt.c: formatting and parsing shared by the tools: mode strings
 * as ls(1) shows them, file type names as stat(1) shows them, octal
 * modes and sizes with k/M/G suffixes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rumptool.h"

static char
typechar(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:
		return 'd';
	case S_IFLNK:
		return 'l';
	case S_IFCHR:
		return 'c';
	case S_IFBLK:
		return 'b';
	case S_IFIFO:
		return 'p';
	case S_IFSOCK:
		return 's';
	default:
		return '-';
	}
}

/* x, s/S (set-id) or t/T (sticky) for the execute position. */
static char
execchar(mode_t mode, mode_t xbit, mode_t special, char set)
{
	if (mode & special)
		return (mode & xbit) ? set : set - ('a' - 'A');
	return (mode & xbit) ? 'x' : '-';
}

/* "drwxr-xr-x" for mode, into buf of 11 bytes. */
void
rt_modestr(mode_t mode, char buf[11])
{
	buf[0] = typechar(mode);
	buf[1] = (mode & S_IRUSR) ? 'r' : '-';
	buf[2] = (mode & S_IWUSR) ? 'w' : '-';
	buf[3] = execchar(mode, S_IXUSR, S_ISUID, 's');
	buf[4] = (mode & S_IRGRP) ? 'r' : '-';
	buf[5] = (mode & S_IWGRP) ? 'w' : '-';
	buf[6] = execchar(mode, S_IXGRP, S_ISGID, 's');
	buf[7] = (mode & S_IROTH) ? 'r' : '-';
	buf[8] = (mode & S_IWOTH) ? 'w' : '-';
	buf[9] = execchar(mode, S_IXOTH, S_ISVTX, 't');
	buf[10] = '\0';
}

/* The file type as GNU stat's %F names it. */
const char *
rt_typename(const struct stat *st)
{
	switch (st->st_mode & S_IFMT) {
	case S_IFREG:
		return st->st_size == 0 ? "regular empty file" :
		    "regular file";
	case S_IFDIR:
		return "directory";
	case S_IFLNK:
		return "symbolic link";
	case S_IFCHR:
		return "character special file";
	case S_IFBLK:
		return "block special file";
	case S_IFIFO:
		return "fifo";
	case S_IFSOCK:
		return "socket";
	default:
		return "weird file";
	}
}

/* An octal mode of at most 07777; 0 or EINVAL. */
int
rt_parsemode(const char *s, mode_t *modep)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '7')
		return EINVAL;
	errno = 0;
	v = strtoul(s, &end, 8);
	if (errno != 0 || *end != '\0' || v > 07777)
		return EINVAL;
	*modep = (mode_t)v;
	return 0;
}

/*
 * A count with an optional multiplier: c (1), w (2), b (512), k or K
 * (1024), M (1024^2), G (1024^3); 0 or EINVAL (also on overflow).
 */
int
rt_parsesize(const char *s, uint64_t *np)
{
	static const struct {
		char		c;
		uint64_t	mult;
	} suffixes[] = {
		{ 'c', 1 }, { 'w', 2 }, { 'b', 512 }, { 'k', 1024 },
		{ 'K', 1024 }, { 'M', 1024 * 1024 },
		{ 'G', 1024 * 1024 * 1024 },
	};
	unsigned long long v;
	uint64_t mult = 1;
	char *end;
	size_t i;

	if (*s < '0' || *s > '9')
		return EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return EINVAL;
	if (*end != '\0') {
		for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
			if (suffixes[i].c == *end)
				mult = suffixes[i].mult;
		}
		if (mult == 1 && *end != 'c')
			return EINVAL;
		if (end[1] != '\0')
			return EINVAL;
	}
	if (v > UINT64_MAX / mult)
		return EINVAL;
	*np = v * mult;
	return 0;
}
