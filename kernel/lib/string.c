/*
 * string.c: the kernel's memory and string functions (lib.h) and
 * strtou64(), the number parser used for mount options and parameters.
 *
 * The compiler may emit calls to memcpy, memmove, memset and memcmp on
 * its own, so they exist here under exactly those names.  memcpy,
 * memmove and memset move a word at a time once the pointers are
 * aligned; the file is compiled so that gcc cannot turn the loops back
 * into calls to themselves.  The string functions read one byte at a time and
 * never past the terminating NUL.
 */

#include <kern/types.h>
#include <lib/lib.h>
#include <abi/errno.h>

/* Keep gcc from recognising the loops below as memset/memcpy calls. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#endif

typedef unsigned long word_t __attribute__((__may_alias__));

#define WSIZE		sizeof(word_t)
#define WMASK		(WSIZE - 1)
#define WALIGNED(p)	(((uintptr_t)(p) & WMASK) == 0)

/* Copy n bytes from low to high addresses. */
static void
copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	word_t *dw;
	const word_t *sw;

	if (((uintptr_t)d & WMASK) == ((uintptr_t)s & WMASK)) {
		while (n > 0 && !WALIGNED(d)) {
			*d++ = *s++;
			n--;
		}
		dw = (word_t *)d;
		sw = (const word_t *)s;
		while (n >= 4 * WSIZE) {
			dw[0] = sw[0];
			dw[1] = sw[1];
			dw[2] = sw[2];
			dw[3] = sw[3];
			dw += 4;
			sw += 4;
			n -= 4 * WSIZE;
		}
		while (n >= WSIZE) {
			*dw++ = *sw++;
			n -= WSIZE;
		}
		d = (unsigned char *)dw;
		s = (const unsigned char *)sw;
	}
	while (n > 0) {
		*d++ = *s++;
		n--;
	}
}

/* Copy n bytes from high to low addresses (overlapping, d > s). */
static void
copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	word_t *dw;
	const word_t *sw;

	d += n;
	s += n;
	if (((uintptr_t)d & WMASK) == ((uintptr_t)s & WMASK)) {
		while (n > 0 && !WALIGNED(d)) {
			*--d = *--s;
			n--;
		}
		dw = (word_t *)d;
		sw = (const word_t *)s;
		while (n >= WSIZE) {
			*--dw = *--sw;
			n -= WSIZE;
		}
		d = (unsigned char *)dw;
		s = (const unsigned char *)sw;
	}
	while (n > 0) {
		*--d = *--s;
		n--;
	}
}

void *
memcpy(void *dst, const void *src, size_t n)
{

	copy_forward(dst, src, n);
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		copy_forward(d, s, n);
	else
		copy_backward(d, s, n);
	return dst;
}

void *
memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	word_t *dw, w;

	while (n > 0 && !WALIGNED(d)) {
		*d++ = (unsigned char)c;
		n--;
	}
	w = (unsigned char)c;
	w |= w << 8;
	w |= w << 16;
	w |= (w << 16) << 16;
	dw = (word_t *)d;
	while (n >= 4 * WSIZE) {
		dw[0] = w;
		dw[1] = w;
		dw[2] = w;
		dw[3] = w;
		dw += 4;
		n -= 4 * WSIZE;
	}
	while (n >= WSIZE) {
		*dw++ = w;
		n -= WSIZE;
	}
	d = (unsigned char *)dw;
	while (n > 0) {
		*d++ = (unsigned char)c;
		n--;
	}
	return dst;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
	}
	return 0;
}

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++) {
		if (*p == (unsigned char)c)
			return (void *)(uintptr_t)p;
	}
	return NULL;
}

size_t
strlen(const char *s)
{
	const char *p = s;

	while (*p != '\0')
		p++;
	return (size_t)(p - s);
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n;

	for (n = 0; n < max && s[n] != '\0'; n++)
		continue;
	return n;
}

int
strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p != '\0' && *p == *q) {
		p++;
		q++;
	}
	return *p - *q;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n > 0; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
		if (*p == '\0')
			return 0;
	}
	return 0;
}

char *
strchr(const char *s, int c)
{

	for (;; s++) {
		if (*s == (char)c)
			return (char *)(uintptr_t)s;
		if (*s == '\0')
			return NULL;
	}
}

char *
strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (char *)(uintptr_t)last;
	}
}

size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	size_t n;

	if (size > 0) {
		n = MIN(len, size - 1);
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

size_t
strlcat(char *dst, const char *src, size_t size)
{
	size_t dlen = strnlen(dst, size);

	if (dlen == size)
		return size + strlen(src);
	return dlen + strlcpy(dst + dlen, src, size - dlen);
}

/* Value of a digit character in bases up to 16, or -1. */
static int
digit_value(char c)
{

	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Shift for a binary size suffix (k, m, g, t), or -1. */
static int
suffix_shift(char c)
{

	switch (c) {
	case 'k': case 'K':
		return 10;
	case 'm': case 'M':
		return 20;
	case 'g': case 'G':
		return 30;
	case 't': case 'T':
		return 40;
	default:
		return -1;
	}
}

int
strtou64(const char *s, uint64_t *resp, bool suffixes)
{
	const char *p = s;
	uint64_t v = 0;
	unsigned int base = 10;
	int d, shift;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0') {
		base = 8;
	}
	if (digit_value(*p) < 0 || (unsigned int)digit_value(*p) >= base)
		return EINVAL;
	for (; (d = digit_value(*p)) >= 0 && (unsigned int)d < base; p++) {
		if (v > (UINT64_MAX - (unsigned int)d) / base)
			return ERANGE;
		v = v * base + (unsigned int)d;
	}
	if (*p != '\0' && suffixes) {
		if ((shift = suffix_shift(*p)) < 0)
			return EINVAL;
		if (v > (UINT64_MAX >> shift))
			return ERANGE;
		v <<= shift;
		p++;
	}
	if (*p != '\0')
		return EINVAL;
	*resp = v;
	return 0;
}
