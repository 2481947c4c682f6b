/*
 * t_isolation.c: a program that defines its own malloc, free, printf,
 * memcpy, strlen, open and exit links with the kernel and boots it, and
 * the kernel keeps using its own functions: the program's versions count
 * their calls, and heavy kernel work must not move those counters.
 */
#include <sys/stat.h>
#include <sys/syscall.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#ifndef RUMPK_SANITIZE
static unsigned long n_memcpy, n_strlen, n_printf, n_open;

/* A bump allocator: enough for a test process, free() is a no-op. */
static _Alignas(64) char arena[256 << 20];
static size_t arena_used;

void *
malloc(size_t n)
{
	size_t *p;

	n = (n + 2 * sizeof(size_t) + 63) & ~(size_t)63;
	p = (size_t *)__atomic_fetch_add(&arena_used, n, __ATOMIC_RELAXED);
	if ((size_t)p + n > sizeof(arena))
		return NULL;
	p = (size_t *)(arena + (size_t)p);
	p[0] = n;
	return p + 2;
}

void
free(void *p)
{

	(void)p;
}

void *
calloc(size_t a, size_t b)
{
	char *p;
	size_t i, n = a * b;

	if (b != 0 && n / b != a)
		return NULL;
	p = malloc(n);
	for (i = 0; p != NULL && i < n; i++)
		p[i] = 0;
	return p;
}

void *
realloc(void *old, size_t n)
{
	char *p;
	size_t i, oldn;

	p = malloc(n);
	if (p == NULL || old == NULL)
		return p;
	oldn = ((size_t *)old)[-2] - 2 * sizeof(size_t);
	for (i = 0; i < n && i < oldn; i++)
		p[i] = ((char *)old)[i];
	return p;
}

void *
memcpy(void *dst, const void *src, size_t n)
{
	char *d = dst;
	const char *s = src;

	n_memcpy++;
	while (n-- > 0)
		*d++ = *s++;
	return dst;
}

size_t
strlen(const char *s)
{
	size_t n = 0;

	n_strlen++;
	while (s[n] != '\0')
		n++;
	return n;
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int r;

	n_printf++;
	va_start(ap, fmt);
	r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}

int
open(const char *path, int flags, ...)
{
	va_list ap;
	int mode;

	n_open++;
	va_start(ap, flags);
	mode = va_arg(ap, int);
	va_end(ap);
	return (int)syscall(SYS_open, path, flags, mode);
}

void
exit(int status)
{

	fflush(NULL);
	_exit(status);
}

#endif /* !RUMPK_SANITIZE */

ATF_TC(own_libc_symbols_do_not_collide);
ATF_TC_HEAD(own_libc_symbols_do_not_collide, tc)
{

	atf_tc_set_md_var(tc, "descr", "the kernel boots and works beside a "
	    "program defining malloc, free, printf, memcpy, strlen, open, "
	    "exit, and never calls them");
}
#ifdef RUMPK_SANITIZE
ATF_TC_BODY(own_libc_symbols_do_not_collide, tc)
{

	atf_tc_skip("sanitizer runtimes interpose malloc and memcpy "
	    "themselves; this runs in the plain build");
}
#else
ATF_TC_BODY(own_libc_symbols_do_not_collide, tc)
{
	static char buf[1 << 20], back[1 << 20];
	unsigned long c0, s0, p0, o0;
	int fd, i;

	setenv("RUMP_VERBOSE", "1", 1);
	ATF_REQUIRE_EQ(rump_init(), 0);
	c0 = n_memcpy; s0 = n_strlen; p0 = n_printf; o0 = n_open;
	ATF_REQUIRE(rump_sys_mkdir("/t", 0755) == 0);
	ATF_REQUIRE(rump_sys_mount("tmpfs", "/t", "tmpfs", 0, NULL) == 0);
	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (char)i;
	fd = rump_sys_open("/t/file", O_RDWR | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_write(fd, buf, sizeof(buf)),
	    (ssize_t)sizeof(buf));
	ATF_REQUIRE_EQ(rump_sys_pread(fd, back, sizeof(back), 0),
	    (ssize_t)sizeof(back));
	ATF_REQUIRE(rump_sys_close(fd) == 0);
	ATF_REQUIRE_EQ(n_memcpy, c0);
	ATF_REQUIRE_EQ(n_strlen, s0);
	ATF_REQUIRE_EQ(n_printf, p0);
	ATF_REQUIRE_EQ(n_open, o0);
	ATF_REQUIRE(memcmp(buf, back, sizeof(buf)) == 0);
	ATF_REQUIRE(n_memcpy == c0);
}
#endif

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, own_libc_symbols_do_not_collide);
	return atf_no_error();
}
