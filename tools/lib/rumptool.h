/*
 * rumptool.h: what the rump.* tools share: connecting to $RUMP_SERVER
 * and reporting errors, the "host:" path convention, one table of file
 * operations for the host and one for the kernel, sorted directory
 * listings, a recursive walk, mode strings and the copy loop with its
 * progress line.  Host code (libc); the kernel is reached through
 * librumpclient's rump_sys_* only.
 */
#ifndef _TOOLS_RUMPTOOL_H_
#define _TOOLS_RUMPTOOL_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

/* getopt_long value of --help; no tool has a short option with it */
#define RT_HELP		0x100
#define RT_HELP_OPTION	{ "help", no_argument, NULL, RT_HELP }

/* the prefix naming a host path where a tool takes either kind */
#define RT_HOSTPFX	"host:"

/* copy buffer: large, to keep round trips to the server few */
#define RT_BUFSIZE	(1024 * 1024)

/* Operations on one side: the host's file systems or the kernel's. */
struct rt_fs {
	const char	*name;
	int	(*open)(const char *, int, mode_t);
	int	(*close)(int);
	ssize_t	(*read)(int, void *, size_t);
	ssize_t	(*write)(int, const void *, size_t);
	off_t	(*lseek)(int, off_t, int);
	int	(*ftruncate)(int, off_t);
	int	(*fsync)(int);
	int	(*fstat)(int, struct stat *);
	int	(*stat)(const char *, struct stat *);
	int	(*lstat)(const char *, struct stat *);
	ssize_t	(*getdents64)(int, void *, size_t);
	int	(*mkdir)(const char *, mode_t);
	int	(*rmdir)(const char *);
	int	(*unlink)(const char *);
	int	(*symlink)(const char *, const char *);
	ssize_t	(*readlink)(const char *, char *, size_t);
	int	(*chmod)(const char *, mode_t);
	int	(*lchown)(const char *, uid_t, gid_t);
	int	(*utimensat)(int, const char *, const struct timespec *,
		    int);
};

extern const struct rt_fs rt_host;
extern const struct rt_fs rt_kern;

/* One directory entry of a listing. */
struct rt_dirent {
	char		*name;
	uint64_t	 ino;
	unsigned char	 type;		/* DT_* */
};

/* A walk visits every entry before its children, directories again after. */
enum rt_visit {
	RT_PRE,
	RT_POST
};

typedef int	rt_walkfn(const char *path, const struct stat *st,
		    enum rt_visit visit, void *arg);

/* A progress line on stderr for long copies. */
struct rt_progress {
	const char	*label;
	uint64_t	 total;		/* 0: unknown */
	uint64_t	 done;
	bool		 enabled;	/* may print at all */
	bool		 shown;		/* a line is on screen */
	double		 start;
	double		 last;
};

void	rt_setprog(const char *name);
const char *rt_prog(void);
void	rt_connect(void);
int	rt_warn(const char *path, int error);
int	rt_warnx(const char *fmt, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	*rt_malloc(size_t len);
char	*rt_strdup(const char *s);
char	*rt_join(const char *dir, const char *name);
char	*rt_basename(const char *path);

const char *rt_path(const char *arg, const struct rt_fs **fsp);

int	rt_readdir(const struct rt_fs *fs, const char *path,
	    struct rt_dirent **entsp, size_t *np);
void	rt_freedir(struct rt_dirent *ents, size_t n);
int	rt_walk(const struct rt_fs *fs, const char *path, rt_walkfn *fn,
	    void *arg);

void	rt_modestr(mode_t mode, char buf[11]);
const char *rt_typename(const struct stat *st);
int	rt_parsemode(const char *s, mode_t *modep);
int	rt_parsesize(const char *s, uint64_t *np);
bool	rt_isdir(const struct rt_fs *fs, const char *path);

double	rt_now(void);
void	rt_progress_init(struct rt_progress *p, const char *label,
	    uint64_t total, bool force);
void	rt_progress_update(struct rt_progress *p, uint64_t delta);
void	rt_progress_end(struct rt_progress *p);

int	rt_copyfd(const struct rt_fs *sfs, int sfd, const struct rt_fs *dfs,
	    int dfd, struct rt_progress *p, bool *wrerrp);
int	rt_writeall(const struct rt_fs *fs, int fd, const char *buf,
	    size_t len);

#endif /* _TOOLS_RUMPTOOL_H_ */
