/*
 * printf.c: formatted output for the kernel: vsnprintf/snprintf into a
 * buffer and printf/vprintf/aprint_verbose to the console.
 *
 * One formatter writes into a sink.  A string sink stops storing at its
 * size (snprintf semantics: the return value is the full length); the
 * console sink collects characters in a stack buffer and hands them to
 * rumpuser_putchar whenever it fills and at the end.
 *
 * Conversions: %d %i %u %x %X %o %s %c %p %%, length modifiers hh h l ll
 * z, flags '-', '0', '#', '+' and ' ', field width (digits or '*') and precision
 * ('.N' or '.*'; minimum digits for integers, maximum bytes for %s).
 */

#include <kern/types.h>
#include <lib/lib.h>
#include <rump/rumpuser.h>

int rump_verbose;

struct sink {
	char	*buf;		/* destination */
	size_t	 size;		/* bytes of buf usable */
	size_t	 len;		/* bytes produced so far (all of them) */
	bool	 console;	/* flush buf to the console when full */
};

/* Format flags for one conversion. */
#define F_LEFT		0x01	/* '-': pad on the right */
#define F_ZERO		0x02	/* '0': pad numbers with zeros */
#define F_UPPER		0x04	/* upper-case hex digits */
#define F_NEG		0x08	/* the number is negative */
#define F_PREC		0x10	/* a precision was given */
#define F_ALT		0x20	/* '#': 0x for hex, 0 for octal */
#define F_PLUS		0x40	/* '+': sign on positive numbers */
#define F_SPACE		0x80	/* ' ': space before positive numbers */

struct spec {
	int	flags;
	int	width;
	int	prec;
	int	lmod;		/* 'H' hh, 'h', 'l', 'L' ll, 'z', 0 none */
};

static void
console_flush(struct sink *sk)
{
	size_t i;

	for (i = 0; i < sk->len; i++)
		rumpuser_putchar((unsigned char)sk->buf[i]);
	sk->len = 0;
}

static void
put(struct sink *sk, char c)
{

	if (sk->console) {
		if (sk->len == sk->size)
			console_flush(sk);
		sk->buf[sk->len++] = c;
		return;
	}
	if (sk->len + 1 < sk->size)
		sk->buf[sk->len] = c;
	sk->len++;
}

static void
pad(struct sink *sk, char c, int n)
{

	for (; n > 0; n--)
		put(sk, c);
}

/* Put n bytes of s, padded with spaces to the field width. */
static void
put_bytes(struct sink *sk, const char *s, size_t n, const struct spec *sp)
{
	int padn;

	padn = (size_t)sp->width > n ? sp->width - (int)n : 0;
	if (!(sp->flags & F_LEFT))
		pad(sk, ' ', padn);
	while (n-- > 0)
		put(sk, *s++);
	if (sp->flags & F_LEFT)
		pad(sk, ' ', padn);
}

static void
put_string(struct sink *sk, const char *s, const struct spec *sp)
{

	if (s == NULL)
		s = "(null)";
	put_bytes(sk, s,
	    (sp->flags & F_PREC) ? strnlen(s, (size_t)sp->prec) : strlen(s),
	    sp);
}

/* Print a magnitude in base 8, 10 or 16 with sign, precision and width. */
static void
put_number(struct sink *sk, uint64_t v, unsigned int base,
    const struct spec *sp, const char *prefix)
{
	const char *digits = (sp->flags & F_UPPER) ?
	    "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, zeros, padn, plen;

	while (v != 0) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	if (n == 0 && !((sp->flags & F_PREC) && sp->prec == 0))
		tmp[n++] = '0';
	plen = (int)strlen(prefix) + ((sp->flags & F_NEG) ? 1 : 0);
	zeros = (sp->flags & F_PREC) && sp->prec > n ? sp->prec - n : 0;
	padn = sp->width > n + zeros + plen ? sp->width - n - zeros - plen : 0;
	if ((sp->flags & F_ZERO) && !(sp->flags & (F_LEFT | F_PREC))) {
		zeros += padn;
		padn = 0;
	}
	if (!(sp->flags & F_LEFT))
		pad(sk, ' ', padn);
	if (sp->flags & F_NEG)
		put(sk, '-');
	while (*prefix != '\0')
		put(sk, *prefix++);
	pad(sk, '0', zeros);
	while (n > 0)
		put(sk, tmp[--n]);
	if (sp->flags & F_LEFT)
		pad(sk, ' ', padn);
}

static int64_t
arg_signed(const struct spec *sp, va_list *ap)
{

	switch (sp->lmod) {
	case 'H':
		return (signed char)va_arg(*ap, int);
	case 'h':
		return (short)va_arg(*ap, int);
	case 'l':
		return va_arg(*ap, long);
	case 'L':
		return va_arg(*ap, long long);
	case 'z':
		return va_arg(*ap, ssize_t);
	default:
		return va_arg(*ap, int);
	}
}

static uint64_t
arg_unsigned(const struct spec *sp, va_list *ap)
{

	switch (sp->lmod) {
	case 'H':
		return (unsigned char)va_arg(*ap, unsigned int);
	case 'h':
		return (unsigned short)va_arg(*ap, unsigned int);
	case 'l':
		return va_arg(*ap, unsigned long);
	case 'L':
		return va_arg(*ap, unsigned long long);
	case 'z':
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* Parse flags, width, precision and length of one conversion. */
static const char *
parse_spec(const char *fmt, struct spec *sp, va_list *ap)
{

	sp->flags = 0;
	sp->width = 0;
	sp->prec = 0;
	sp->lmod = 0;
	for (;; fmt++) {
		if (*fmt == '-')
			sp->flags |= F_LEFT;
		else if (*fmt == '0')
			sp->flags |= F_ZERO;
		else if (*fmt == '#')
			sp->flags |= F_ALT;
		else if (*fmt == '+')
			sp->flags |= F_PLUS;
		else if (*fmt == ' ')
			sp->flags |= F_SPACE;
		else
			break;
	}
	if (*fmt == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->flags |= F_LEFT;
			sp->width = sp->width == -INT_MAX - 1 ? INT_MAX :
			    -sp->width;
		}
		fmt++;
	}
	for (; *fmt >= '0' && *fmt <= '9'; fmt++)
		sp->width = MIN(sp->width * 10 + (*fmt - '0'), 1 << 20);
	if (*fmt == '.') {
		fmt++;
		sp->flags |= F_PREC;
		if (*fmt == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->flags &= ~F_PREC;
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			sp->prec = MIN(sp->prec * 10 + (*fmt - '0'), 1 << 20);
	}
	if (*fmt == 'h' || *fmt == 'l') {
		sp->lmod = *fmt++;
		if (*fmt == sp->lmod) {
			sp->lmod = sp->lmod == 'h' ? 'H' : 'L';
			fmt++;
		}
	} else if (*fmt == 'z') {
		sp->lmod = *fmt++;
	}
	return fmt;
}

/* The prefix of an unsigned conversion: "0x"/"0X"/"0" with '#'. */
static const char *
alt_prefix(const struct spec *sp, uint64_t v, unsigned int base)
{

	if (!(sp->flags & F_ALT) || v == 0)
		return "";
	if (base == 8)
		return "0";
	return (sp->flags & F_UPPER) ? "0X" : "0x";
}

/* The sign of a non-negative signed conversion with '+' or ' '. */
static const char *
sign_prefix(const struct spec *sp)
{

	if (sp->flags & F_NEG)
		return "";
	if (sp->flags & F_PLUS)
		return "+";
	return (sp->flags & F_SPACE) ? " " : "";
}

/* Format one conversion character c; return false if unknown. */
static bool
convert(struct sink *sk, char c, struct spec *sp, va_list *ap)
{
	int64_t sv;
	uint64_t uv;
	char ch;

	switch (c) {
	case 'd':
	case 'i':
		sv = arg_signed(sp, ap);
		if (sv < 0)
			sp->flags |= F_NEG;
		put_number(sk, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, 10, sp,
		    sign_prefix(sp));
		return true;
	case 'u':
		put_number(sk, arg_unsigned(sp, ap), 10, sp, "");
		return true;
	case 'X':
		sp->flags |= F_UPPER;
		uv = arg_unsigned(sp, ap);
		put_number(sk, uv, 16, sp, alt_prefix(sp, uv, 16));
		return true;
	case 'x':
		uv = arg_unsigned(sp, ap);
		put_number(sk, uv, 16, sp, alt_prefix(sp, uv, 16));
		return true;
	case 'o':
		uv = arg_unsigned(sp, ap);
		put_number(sk, uv, 8, sp, alt_prefix(sp, uv, 8));
		return true;
	case 'p':
		put_number(sk, (uintptr_t)va_arg(*ap, void *), 16, sp, "0x");
		return true;
	case 's':
		put_string(sk, va_arg(*ap, const char *), sp);
		return true;
	case 'c':
		ch = (char)va_arg(*ap, int);
		put_bytes(sk, &ch, 1, sp);
		return true;
	case '%':
		put(sk, '%');
		return true;
	default:
		return false;
	}
}

static void
format(struct sink *sk, const char *fmt, va_list ap0)
{
	const char *start;
	struct spec sp;
	va_list ap;

	va_copy(ap, ap0);
	while (*fmt != '\0') {
		if (*fmt != '%') {
			put(sk, *fmt++);
			continue;
		}
		start = fmt++;
		fmt = parse_spec(fmt, &sp, &ap);
		if (*fmt != '\0' && convert(sk, *fmt, &sp, &ap)) {
			fmt++;
			continue;
		}
		/* Unknown conversion: print it as it was written. */
		while (start < fmt)
			put(sk, *start++);
	}
	va_end(ap);
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink sk = { .buf = buf, .size = size };

	format(&sk, fmt, ap);
	if (size > 0)
		buf[MIN(sk.len, size - 1)] = '\0';
	return sk.len > INT_MAX ? INT_MAX : (int)sk.len;
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void
vprintf(const char *fmt, va_list ap)
{
	char buf[256];
	struct sink sk = { .buf = buf, .size = sizeof(buf), .console = true };

	format(&sk, fmt, ap);
	console_flush(&sk);
}

void
printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void
aprint_verbose(const char *fmt, ...)
{
	va_list ap;

	if (!rump_verbose)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
