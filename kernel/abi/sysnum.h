/*
 * sysnum.h: Linux x86-64 system call numbers used by the kernel, plus
 * rumpk's own calls in the range 500..511 (unused by Linux).
 */
#ifndef _ABI_SYSNUM_H_
#define _ABI_SYSNUM_H_

#define SYS_read		0
#define SYS_write		1
#define SYS_open		2
#define SYS_close		3
#define SYS_stat		4
#define SYS_fstat		5
#define SYS_lstat		6
#define SYS_poll		7
#define SYS_lseek		8
#define SYS_ioctl		16
#define SYS_pread64		17
#define SYS_pwrite64		18
#define SYS_readv		19
#define SYS_writev		20
#define SYS_access		21
#define SYS_pipe		22
#define SYS_dup			32
#define SYS_dup2		33
#define SYS_nanosleep		35
#define SYS_getpid		39
#define SYS_uname		63
#define SYS_fcntl		72
#define SYS_fsync		74
#define SYS_fdatasync		75
#define SYS_truncate		76
#define SYS_ftruncate		77
#define SYS_getcwd		79
#define SYS_chdir		80
#define SYS_fchdir		81
#define SYS_rename		82
#define SYS_mkdir		83
#define SYS_rmdir		84
#define SYS_creat		85
#define SYS_link		86
#define SYS_unlink		87
#define SYS_symlink		88
#define SYS_readlink		89
#define SYS_chmod		90
#define SYS_fchmod		91
#define SYS_chown		92
#define SYS_fchown		93
#define SYS_lchown		94
#define SYS_umask		95
#define SYS_getuid		102
#define SYS_getgid		104
#define SYS_setuid		105
#define SYS_setgid		106
#define SYS_geteuid		107
#define SYS_getegid		108
#define SYS_getppid		110
#define SYS_setreuid		113
#define SYS_setregid		114
#define SYS_getgroups		115
#define SYS_setgroups		116
#define SYS_setresuid		117
#define SYS_getresuid		118
#define SYS_setresgid		119
#define SYS_getresgid		120
#define SYS_mknod		133
#define SYS_statfs		137
#define SYS_fstatfs		138
#define SYS_sync		162
#define SYS_mount		165
#define SYS_umount2		166
#define SYS_reboot		169
#define SYS_sethostname		170
#define SYS_getdents64		217
#define SYS_clock_gettime	228
#define SYS_exit_group		231
#define SYS_openat		257
#define SYS_mkdirat		258
#define SYS_mknodat		259
#define SYS_fchownat		260
#define SYS_newfstatat		262
#define SYS_unlinkat		263
#define SYS_renameat		264
#define SYS_linkat		265
#define SYS_symlinkat		266
#define SYS_readlinkat		267
#define SYS_fchmodat		268
#define SYS_faccessat		269
#define SYS_ppoll		271
#define SYS_utimensat		280
#define SYS_dup3		292
#define SYS_pipe2		293
#define SYS_syncfs		306
#define SYS_renameat2		316
#define SYS_statx		332
#define SYS_faccessat2		439

/* rumpk's own: sysctl by name (name, oldp, oldlenp, newp, newlen). */
#define SYS_rump_sysctl		500

#endif /* _ABI_SYSNUM_H_ */
