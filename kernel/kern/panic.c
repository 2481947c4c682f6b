/*
 * panic.c: panic(), the end of the kernel on an unrecoverable error:
 * print the message on the console and leave through rumpuser_exit()
 * with RUMPUSER_PANIC so that the host can keep a core.
 */

#include <kern/types.h>
#include <lib/lib.h>
#include <rump/rumpuser.h>

/* Set by the first panic; a panic while printing it just exits. */
static int panicking;

void
panic(const char *fmt, ...)
{
	va_list ap;

	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST) != 0)
		rumpuser_exit(RUMPUSER_PANIC);
	printf("panic: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	rumpuser_exit(RUMPUSER_PANIC);
}
