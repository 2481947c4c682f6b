/*
 * types.h: the kernel's basic types, freestanding.
 *
 * The kernel is built with -nostdinc, so it defines its own fixed-width
 * integers, size types and the Linux x86-64 scalar types of its ABI
 * (uid_t, off_t, ...) here from the compiler's predefined macros.
 */
#ifndef _KERN_TYPES_H_
#define _KERN_TYPES_H_

typedef __INT8_TYPE__		int8_t;
typedef __INT16_TYPE__		int16_t;
typedef __INT32_TYPE__		int32_t;
typedef __INT64_TYPE__		int64_t;
typedef __UINT8_TYPE__		uint8_t;
typedef __UINT16_TYPE__		uint16_t;
typedef __UINT32_TYPE__		uint32_t;
typedef __UINT64_TYPE__		uint64_t;
typedef __INTPTR_TYPE__		intptr_t;
typedef __UINTPTR_TYPE__	uintptr_t;
typedef __SIZE_TYPE__		size_t;
typedef __PTRDIFF_TYPE__	ptrdiff_t;
typedef long			ssize_t;
typedef long			register_t;

typedef int			pid_t;
typedef unsigned int		uid_t;
typedef unsigned int		gid_t;
typedef unsigned int		mode_t;
typedef int64_t			off_t;
typedef uint64_t		ino_t;
typedef uint64_t		dev_t;
typedef uint64_t		nlink_t;
typedef int64_t			time_t;
typedef int64_t			blkcnt_t;

typedef _Bool			bool;
#define true	1
#define false	0

#define NULL	((void *)0)

#define offsetof(t, m)	__builtin_offsetof(t, m)

typedef __builtin_va_list	va_list;
#define va_start(ap, last)	__builtin_va_start(ap, last)
#define va_arg(ap, type)	__builtin_va_arg(ap, type)
#define va_end(ap)		__builtin_va_end(ap)
#define va_copy(d, s)		__builtin_va_copy(d, s)

#define INT_MAX		__INT_MAX__
#define INT64_MAX	__INT64_MAX__
#define UINT32_MAX	0xffffffffU
#define UINT64_MAX	0xffffffffffffffffULL
#define SIZE_MAX	__SIZE_MAX__
#define SSIZE_MAX	__LONG_MAX__
#define OFF_MAX		__INT64_MAX__

#define __unused	__attribute__((__unused__))
#define __noreturn	__attribute__((__noreturn__))
#define __printflike(f, a) __attribute__((__format__(__printf__, f, a)))
#define __predict_true(x)	__builtin_expect(!!(x), 1)
#define __predict_false(x)	__builtin_expect(!!(x), 0)

#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define roundup(x, y)	((((x) + ((y) - 1)) / (y)) * (y))
#define howmany(x, y)	(((x) + ((y) - 1)) / (y))
#define __arraycount(a)	(sizeof(a) / sizeof((a)[0]))

#define container_of(p, t, m)	((t *)((char *)(p) - offsetof(t, m)))

#endif /* _KERN_TYPES_H_ */
