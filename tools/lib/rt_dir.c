/*
 * rt_dir.c: directories on either side: a listing sorted by name (read
 * with getdents64, every record checked against the buffer it came in)
 * and a depth-first walk.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rumptool.h"

#define DENTBUF		(64 * 1024)

static int
entcmp(const void *a, const void *b)
{
	const struct rt_dirent *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* Append one entry, growing the array; 0 or ENOMEM. */
static int
addent(struct rt_dirent **entsp, size_t *np, size_t *capp,
    const struct dirent64 *d)
{
	struct rt_dirent *ents = *entsp;

	if (*np == *capp) {
		*capp = *capp == 0 ? 64 : *capp * 2;
		ents = realloc(ents, *capp * sizeof(*ents));
		if (ents == NULL)
			return ENOMEM;
		*entsp = ents;
	}
	ents[*np].name = strdup(d->d_name);
	if (ents[*np].name == NULL)
		return ENOMEM;
	ents[*np].ino = d->d_ino;
	ents[*np].type = d->d_type;
	(*np)++;
	return 0;
}

/* Take the records of one getdents64 result; 0 or an errno. */
static int
parse(const char *buf, size_t len, struct rt_dirent **entsp, size_t *np,
    size_t *capp)
{
	const size_t namepos = offsetof(struct dirent64, d_name);
	const struct dirent64 *d;
	size_t off, reclen;
	int error;

	for (off = 0; off < len; off += reclen) {
		d = (const struct dirent64 *)(buf + off);
		if (len - off < namepos)
			return EIO;
		reclen = d->d_reclen;
		if (reclen <= namepos || reclen > len - off ||
		    memchr(d->d_name, '\0', reclen - namepos) == NULL)
			return EIO;
		error = addent(entsp, np, capp, d);
		if (error != 0)
			return error;
	}
	return 0;
}

/*
 * The entries of directory path, "." and ".." included, sorted by name;
 * 0 or an errno.
 */
int
rt_readdir(const struct rt_fs *fs, const char *path,
    struct rt_dirent **entsp, size_t *np)
{
	size_t cap = 0;
	ssize_t len;
	char *buf;
	int fd, error = 0;

	*entsp = NULL;
	*np = 0;
	fd = fs->open(path, O_RDONLY | O_DIRECTORY, 0);
	if (fd == -1)
		return errno;
	buf = rt_malloc(DENTBUF);
	while ((len = fs->getdents64(fd, buf, DENTBUF)) > 0) {
		error = parse(buf, (size_t)len, entsp, np, &cap);
		if (error != 0)
			break;
	}
	if (len == -1)
		error = errno;
	free(buf);
	fs->close(fd);
	if (error != 0) {
		rt_freedir(*entsp, *np);
		return error;
	}
	qsort(*entsp, *np, sizeof(**entsp), entcmp);
	return 0;
}

void
rt_freedir(struct rt_dirent *ents, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(ents[i].name);
	free(ents);
}

static bool
isdot(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

/* Walk the children of directory path; returns the exit status. */
static int
walkdir(const struct rt_fs *fs, const char *path, rt_walkfn *fn, void *arg)
{
	struct rt_dirent *ents;
	size_t i, n;
	char *child;
	int error, status = 0;

	error = rt_readdir(fs, path, &ents, &n);
	if (error != 0)
		return rt_warn(path, error);
	for (i = 0; i < n; i++) {
		if (isdot(ents[i].name))
			continue;
		child = rt_join(path, ents[i].name);
		status |= rt_walk(fs, child, fn, arg);
		free(child);
	}
	rt_freedir(ents, n);
	return status;
}

/*
 * Visit path (not following a symbolic link) and, for a directory,
 * everything below it: fn sees each entry with RT_PRE before its
 * children and each directory again with RT_POST after them.  fn
 * returning nonzero for RT_PRE of a directory skips its children.
 * Returns 0 or 1 (some error was reported).
 */
int
rt_walk(const struct rt_fs *fs, const char *path, rt_walkfn *fn, void *arg)
{
	struct stat st;
	int status;

	if (fs->lstat(path, &st) == -1)
		return rt_warn(path, errno);
	status = fn(path, &st, RT_PRE, arg);
	if (status != 0 || !S_ISDIR(st.st_mode))
		return status;
	status = walkdir(fs, path, fn, arg);
	return status | fn(path, &st, RT_POST, arg);
}

/* Whether path is a directory (following symbolic links). */
bool
rt_isdir(const struct rt_fs *fs, const char *path)
{
	struct stat st;

	return fs->stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
