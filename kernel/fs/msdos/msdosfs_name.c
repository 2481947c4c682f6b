/*
 * msdosfs_name.c: file names.
 *
 * Owns the conversions between the names users give (UTF-8) and what
 * FAT stores: long names as UTF-16LE in VFAT entries (at most 255
 * units, trailing dots and spaces stripped as Linux vfat does, the
 * characters "*:<>?\| and control characters refused), 8.3 names with
 * the NT case bits for names that fit in one case per part, generated
 * 8.3 names (the specification's basis name plus a ~N tail) for the
 * others, the 8.3 checksum that ties long name entries to their 8.3
 * entry, and the case-insensitive comparison (ASCII letters only).
 * Nothing here touches the disk.
 */
#include <kern/types.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <fs/msdos/msdosfs.h>

static bool
long_invalid(uint32_t c)
{

	switch (c) {
	case '"': case '*': case '/': case ':': case '<': case '>': case '?':
	case '\\': case '|': case 0x7f:
		return true;
	default:
		return c < 0x20;
	}
}

/* Characters allowed in an 8.3 name besides letters and digits. */
static bool
short_valid(uint32_t c)
{

	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c > 0x20 && c < 0x80 && strchr("!#$%&'()-@^_`{}~", (int)c) !=
	    NULL;
}

static uint8_t
toupper_a(uint8_t c)
{

	return c >= 'a' && c <= 'z' ? (uint8_t)(c - 'a' + 'A') : c;
}

static uint8_t
tolower_a(uint8_t c)
{

	return c >= 'A' && c <= 'Z' ? (uint8_t)(c - 'A' + 'a') : c;
}

/* Decode one UTF-8 character: its length, or 0 if malformed. */
static size_t
utf8_decode(const uint8_t *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

int
msdos_name_utf16(const char *name, size_t len, uint16_t *u, size_t *nunits)
{
	const uint8_t *s = (const uint8_t *)name;
	size_t i = 0, n = 0, k;
	uint32_t c;

	while (len > 0 && (name[len - 1] == '.' || name[len - 1] == ' '))
		len--;
	if (len == 0)
		return EINVAL;
	while (i < len) {
		if ((k = utf8_decode(s + i, len - i, &c)) == 0 ||
		    long_invalid(c))
			return EINVAL;
		i += k;
		if (n + (c >= 0x10000 ? 2 : 1) > LFN_MAXUNITS)
			return ENAMETOOLONG;
		if (c >= 0x10000) {
			c -= 0x10000;
			u[n++] = (uint16_t)(0xd800 | (c >> 10));
			u[n++] = (uint16_t)(0xdc00 | (c & 0x3ff));
		} else
			u[n++] = (uint16_t)c;
	}
	*nunits = n;
	return 0;
}

/* One part of an 8.3 name: all valid, length within max, one case. */
static bool
part83(const uint16_t *u, size_t n, size_t max, uint8_t *out, bool *lower)
{
	bool hasup = false, haslow = false;
	size_t i;

	if (n > max)
		return false;
	for (i = 0; i < n; i++) {
		if (!short_valid(u[i]))
			return false;
		if (u[i] >= 'a' && u[i] <= 'z')
			haslow = true;
		if (u[i] >= 'A' && u[i] <= 'Z')
			hasup = true;
		out[i] = toupper_a((uint8_t)u[i]);
	}
	*lower = haslow;
	return !(hasup && haslow);
}

bool
msdos_name_is83(const uint16_t *u, size_t n, uint8_t *name11,
    uint8_t *ntres)
{
	size_t dot = n, i;
	bool lbase, lext = false;

	for (i = 0; i < n; i++)
		if (u[i] == '.') {
			if (dot != n)
				return false;
			dot = i;
		}
	if (dot == 0)
		return false;
	memset(name11, ' ', 11);
	if (!part83(u, dot, 8, name11, &lbase))
		return false;
	if (dot < n && !part83(u + dot + 1, n - dot - 1, 3, name11 + 8,
	    &lext))
		return false;
	if (name11[0] == SLOT_FREE)
		name11[0] = SLOT_E5;
	*ntres = (lbase ? NTRES_LCASE_BASE : 0) | (lext ? NTRES_LCASE_EXT : 0);
	return true;
}

/* One character of a basis name: uppercased, '_' for the others. */
static uint8_t
basis_char(uint16_t c, bool *lossy)
{

	if (short_valid(c))
		return toupper_a((uint8_t)c);
	*lossy = true;
	return '_';
}

bool
msdos_name_basis(const uint16_t *u, size_t n, uint8_t *name11)
{
	size_t i, start = 0, lastdot = n, nb = 0, ne = 0;
	bool lossy = false;

	memset(name11, ' ', 11);
	while (start < n && (u[start] == '.' || u[start] == ' ')) {
		start++;
		lossy = true;
	}
	for (i = start; i < n; i++)
		if (u[i] == '.')
			lastdot = i;
	for (i = start; i < lastdot; i++) {
		if (u[i] == ' ' || u[i] == '.') {
			lossy = true;
			continue;
		}
		if (nb == 8) {
			lossy = true;
			break;
		}
		name11[nb++] = basis_char(u[i], &lossy);
	}
	for (i = lastdot + 1; i < n; i++) {
		if (u[i] == ' ') {
			lossy = true;
			continue;
		}
		if (ne == 3) {
			lossy = true;
			break;
		}
		name11[8 + ne++] = basis_char(u[i], &lossy);
	}
	if (nb == 0) {
		name11[0] = '_';
		lossy = true;
	}
	if (name11[0] == SLOT_FREE)
		name11[0] = SLOT_E5;
	return lossy;
}

void
msdos_name_tail(const uint8_t *basis, uint32_t n, uint8_t *name11)
{
	char tail[12];
	size_t tl, bl = 8, i;

	tl = (size_t)snprintf(tail, sizeof(tail), "~%u", n);
	while (bl > 0 && basis[bl - 1] == ' ')
		bl--;
	bl = MIN(bl, 8 - tl);
	memcpy(name11, basis, 11);
	for (i = 0; i < tl; i++)
		name11[bl + i] = (uint8_t)tail[i];
	for (i = bl + tl; i < 8; i++)
		name11[i] = ' ';
}

uint8_t
msdos_name_chksum(const uint8_t *name11)
{
	uint8_t sum = 0;
	int i;

	for (i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + name11[i]);
	return sum;
}

/* Copy one space-padded part of an 8.3 name, in lower case if asked. */
static size_t
short_part(const uint8_t *p, size_t n, bool lower, bool first, char *out)
{
	size_t len = n, i;
	uint8_t c;

	while (len > 0 && p[len - 1] == ' ')
		len--;
	for (i = 0; i < len; i++) {
		c = p[i];
		if (first && i == 0 && c == SLOT_E5)
			c = SLOT_FREE;
		if (c >= 0x80 || long_invalid(c))
			c = '_';
		out[i] = (char)(lower ? tolower_a(c) : c);
	}
	return len;
}

size_t
msdos_name_short(const struct fat_dirent *de, char *out)
{
	size_t n, e;

	n = short_part(de->de_name, 8, de->de_ntres & NTRES_LCASE_BASE, true,
	    out);
	e = short_part(de->de_name + 8, 3, de->de_ntres & NTRES_LCASE_EXT,
	    false, out + n + 1);
	if (e > 0) {
		out[n] = '.';
		n += 1 + e;
	}
	out[n] = '\0';
	return n;
}

size_t
msdos_name_utf8(const uint16_t *u, size_t n, char *out)
{
	size_t i, o = 0;
	uint32_t c;

	for (i = 0; i < n; i++) {
		c = u[i];
		if (c >= 0xd800 && c <= 0xdbff && i + 1 < n &&
		    u[i + 1] >= 0xdc00 && u[i + 1] <= 0xdfff) {
			c = 0x10000 + ((c - 0xd800) << 10) +
			    (u[i + 1] - 0xdc00);
			i++;
		} else if (c >= 0xd800 && c <= 0xdfff)
			c = 0xfffd;
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xc0 | (c >> 6));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			out[o++] = (char)(0xe0 | (c >> 12));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[o++] = (char)(0xf0 | (c >> 18));
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3f));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	return o;
}

bool
msdos_name_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return false;
	for (i = 0; i < alen; i++)
		if (tolower_a((uint8_t)a[i]) != tolower_a((uint8_t)b[i]))
			return false;
	return true;
}

static uint8_t *
lfn_unit(struct fat_lfnent *le, int i)
{

	if (i < 5)
		return le->le_name1 + 2 * i;
	if (i < 11)
		return le->le_name2 + 2 * (i - 5);
	return le->le_name3 + 2 * (i - 11);
}

void
msdos_lfn_fill(struct fat_lfnent *le, const uint16_t *u, size_t n, int ord,
    bool last, uint8_t chksum)
{
	size_t idx;
	int i;

	memset(le, 0, sizeof(*le));
	le->le_ord = (uint8_t)(ord | (last ? LFN_LAST : 0));
	le->le_attr = ATTR_LFN;
	le->le_chksum = chksum;
	for (i = 0; i < LFN_CHARS; i++) {
		idx = (size_t)(ord - 1) * LFN_CHARS + (size_t)i;
		setle16(lfn_unit(le, i), idx < n ? u[idx] :
		    idx == n ? 0 : 0xffff);
	}
}

bool
msdos_lfn_collect(const struct fat_lfnent *le, uint16_t *u, size_t *lenp)
{
	int ord = le->le_ord & LFN_ORDMASK, i;
	size_t base;
	uint16_t c;

	if (ord < 1 || ord > LFN_MAXSLOTS)
		return false;
	base = (size_t)(ord - 1) * LFN_CHARS;
	*lenp = base + LFN_CHARS;
	for (i = 0; i < LFN_CHARS; i++) {
		c = le16(lfn_unit((struct fat_lfnent *)(uintptr_t)le, i));
		if (c == 0 && (le->le_ord & LFN_LAST)) {
			*lenp = base + (size_t)i;
			break;
		}
		if (base + (size_t)i < LFN_MAXSLOTS * LFN_CHARS)
			u[base + (size_t)i] = c;
	}
	return true;
}
