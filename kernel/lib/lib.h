/*
 * lib.h: the kernel's small C library: memory and string functions,
 * formatted printing to the console, panic and assertions.
 * Implemented in kernel/lib/{string,printf}.c and kernel/kern/panic.c.
 */
#ifndef _LIB_LIB_H_
#define _LIB_LIB_H_

#include <kern/types.h>

void	*memcpy(void *, const void *, size_t);
void	*memmove(void *, const void *, size_t);
void	*memset(void *, int, size_t);
int	 memcmp(const void *, const void *, size_t);
void	*memchr(const void *, int, size_t);
size_t	 strlen(const char *);
size_t	 strnlen(const char *, size_t);
int	 strcmp(const char *, const char *);
int	 strncmp(const char *, const char *, size_t);
char	*strchr(const char *, int);
char	*strrchr(const char *, int);
size_t	 strlcpy(char *, const char *, size_t);
size_t	 strlcat(char *, const char *, size_t);
/* Parse an unsigned decimal/hex/octal number with optional k/m/g suffix;
 * 0 or EINVAL/ERANGE. */
int	 strtou64(const char *, uint64_t *, bool);

int	 vsnprintf(char *, size_t, const char *, va_list);
int	 snprintf(char *, size_t, const char *, ...) __printflike(3, 4);
/* Console output through rumpuser_putchar. */
void	 printf(const char *, ...) __printflike(1, 2);
void	 vprintf(const char *, va_list);
/* printf only when RUMP_VERBOSE is set. */
void	 aprint_verbose(const char *, ...) __printflike(1, 2);
extern int rump_verbose;

void	 panic(const char *, ...) __printflike(1, 2) __noreturn;

#ifdef DIAGNOSTIC
#define KASSERT(e)	(__predict_true(e) ? (void)0 :			\
	panic("kernel assertion \"%s\" failed: file \"%s\", line %d",	\
	    #e, __FILE__, __LINE__))
#define KASSERTMSG(e, ...)	(__predict_true(e) ? (void)0 :		\
	panic(__VA_ARGS__))
#else
#define KASSERT(e)		((void)0)
#define KASSERTMSG(e, ...)	((void)0)
#endif
#define CTASSERT(e)	_Static_assert(e, #e)

#endif /* _LIB_LIB_H_ */
