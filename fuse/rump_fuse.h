/*
 * rump_fuse.h: what the parts of rump-fuse share: the options, the node
 * table that maps FUSE node ids to kernel paths (node.c), open file
 * handles (handle.c), the image type probe (detect.c) and the FUSE
 * operations (ops_*.c).
 *
 * Lock order: the namespace lock (node_ns_*), then a handle's lock, then
 * the node table's mutex.  The kernel runs as root; the host kernel
 * checks permissions (default_permissions) against the attributes
 * rump-fuse reports.
 */
#ifndef RUMP_FUSE_H
#define RUMP_FUSE_H

#define FUSE_USE_VERSION 35

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include <fuse_lowlevel.h>

/* Kernel directory the file system is mounted on. */
#define RF_KMOUNT	"/mnt"
/* etfs key of the image. */
#define RF_KDISK	"/dev/rfuse0"

/* Set once by main() before the session starts; read-only afterwards. */
struct rf_opts {
	double	 ro_attr_timeout;	/* seconds attributes are cached */
	double	 ro_entry_timeout;	/* seconds names are cached */
	double	 ro_negative_timeout;	/* seconds "no such name" is cached */
	bool	 ro_has_uid;		/* uid= given: every file shows it */
	uid_t	 ro_uid;		/* the owner shown with uid= */
	bool	 ro_has_gid;		/* gid= given: every file shows it */
	gid_t	 ro_gid;		/* the group shown with gid= */
	bool	 ro_readonly;		/* ro, or an ext3 image */
};
extern struct rf_opts rf_opts;

#define RF_OPTLEN	1024

/* The command line (opts.c). */
struct rf_args {
	const char	*ra_type;		/* -t, or NULL: detect */
	const char	*ra_image;		/* absolute, or "none" */
	const char	*ra_mountpoint;		/* absolute */
	bool		 ra_foreground;		/* -f or -d */
	bool		 ra_debug;		/* -d */
	char		 ra_kdata[RF_OPTLEN];	/* driver's mount options */
	char		 ra_fuseopts[RF_OPTLEN]; /* libfuse's -o options */
};

/* opts.c */
int	rf_parse_opts(struct rf_args *, const char *);

/* An open file or directory (handle.c); fi->fh points to it. */
struct rf_handle {
	int		 h_fd;		/* constant: the kernel descriptor */
	pthread_mutex_t	 h_lock;	/* held across a read or a readdir */
};

/* handle.c */
int	rf_handle_new(int, struct fuse_file_info *);
int	rf_handle_open(fuse_ino_t, int, struct fuse_file_info *);
struct rf_handle *rf_handle(const struct fuse_file_info *);
int	rf_handle_fd(const struct fuse_file_info *);
int	rf_handle_close(struct fuse_file_info *);

/* detect.c */
int	rf_detect(const char *image, const char **typep);

/* node.c: node ids are node addresses, the root is FUSE_ROOT_ID. */
void	node_ns_rdlock(void);
void	node_ns_wrlock(void);
void	node_ns_unlock(void);
int	node_path(fuse_ino_t, char *, size_t);
int	node_path_name(fuse_ino_t, const char *, char *, size_t);
int	node_lookup(fuse_ino_t, const char *, uint64_t, fuse_ino_t *);
void	node_forget(fuse_ino_t, uint64_t);
void	node_removed(fuse_ino_t, const char *);
void	node_renamed(fuse_ino_t, const char *, fuse_ino_t, const char *,
	    unsigned int);

/* ops_entry.c */
void	rf_fix_stat(struct stat *);
int	rf_entry(fuse_ino_t, const char *, struct fuse_entry_param *);
void	rf_reply_entry(fuse_req_t, fuse_ino_t, const char *);
void	rf_lookup(fuse_req_t, fuse_ino_t, const char *);
void	rf_forget(fuse_req_t, fuse_ino_t, uint64_t);
void	rf_forget_multi(fuse_req_t, size_t, struct fuse_forget_data *);
void	rf_getattr(fuse_req_t, fuse_ino_t, struct fuse_file_info *);
void	rf_setattr(fuse_req_t, fuse_ino_t, struct stat *, int,
	    struct fuse_file_info *);
void	rf_readlink(fuse_req_t, fuse_ino_t);
void	rf_statfs(fuse_req_t, fuse_ino_t);
void	rf_access(fuse_req_t, fuse_ino_t, int);

/* ops_ns.c */
void	rf_mknod(fuse_req_t, fuse_ino_t, const char *, mode_t, dev_t);
void	rf_mkdir(fuse_req_t, fuse_ino_t, const char *, mode_t);
void	rf_symlink(fuse_req_t, const char *, fuse_ino_t, const char *);
void	rf_link(fuse_req_t, fuse_ino_t, fuse_ino_t, const char *);
void	rf_unlink(fuse_req_t, fuse_ino_t, const char *);
void	rf_rmdir(fuse_req_t, fuse_ino_t, const char *);
void	rf_rename(fuse_req_t, fuse_ino_t, const char *, fuse_ino_t,
	    const char *, unsigned int);
int	rf_chown_new(fuse_req_t, char *);

/* ops_file.c */
void	rf_open(fuse_req_t, fuse_ino_t, struct fuse_file_info *);
void	rf_create(fuse_req_t, fuse_ino_t, const char *, mode_t,
	    struct fuse_file_info *);
void	rf_read(fuse_req_t, fuse_ino_t, size_t, off_t,
	    struct fuse_file_info *);
void	rf_write(fuse_req_t, fuse_ino_t, const char *, size_t, off_t,
	    struct fuse_file_info *);
void	rf_flush(fuse_req_t, fuse_ino_t, struct fuse_file_info *);
void	rf_release(fuse_req_t, fuse_ino_t, struct fuse_file_info *);
void	rf_fsync(fuse_req_t, fuse_ino_t, int, struct fuse_file_info *);

/* ops_dir.c */
void	rf_opendir(fuse_req_t, fuse_ino_t, struct fuse_file_info *);
void	rf_readdir(fuse_req_t, fuse_ino_t, size_t, off_t,
	    struct fuse_file_info *);
void	rf_readdirplus(fuse_req_t, fuse_ino_t, size_t, off_t,
	    struct fuse_file_info *);
void	rf_releasedir(fuse_req_t, fuse_ino_t, struct fuse_file_info *);
void	rf_fsyncdir(fuse_req_t, fuse_ino_t, int, struct fuse_file_info *);

#endif
