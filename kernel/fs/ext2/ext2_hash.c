/*
 * ext2_hash.c: the name hashes of hash-indexed (dir_index) directories.
 *
 * Owns the three hash functions of the on-disk format, each in a signed
 * and an unsigned variant (how name bytes above 0x7f are widened):
 * "legacy" (a multiplicative mix of the bytes), "half_md4" (the MD4
 * compression function cut to three rounds of eight steps, over 32-byte
 * chunks of the name) and "tea" (sixteen rounds of the TEA cipher over
 * 16-byte chunks).  half_md4 and tea start from the superblock's hash
 * seed (or MD4's initial words when the seed is zero) and turn each
 * chunk of the name into words padded with its length.  The result has
 * its lowest bit cleared: that bit marks collision splits in the index.
 *
 * No locks: pure functions.
 */
#include <kern/types.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <fs/ext2/ext2.h>

static const uint32_t md4_init[4] = {
	0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
};

static uint32_t
rol32(uint32_t x, int n)
{

	return (x << n) | (x >> (32 - n));
}

/* Byte i of the name, widened as a signed or an unsigned char. */
static uint32_t
namebyte(const char *name, size_t i, bool unsig)
{

	if (unsig)
		return (uint8_t)name[i];
	return (uint32_t)(int32_t)(int8_t)name[i];
}

static uint32_t
hash_legacy(const char *name, size_t len, bool unsig)
{
	uint32_t h0 = 0x12a3fe2d, h1 = 0x37abe8f9, h;
	size_t i;

	for (i = 0; i < len; i++) {
		h = h1 + (h0 ^ (namebyte(name, i, unsig) * 7152373));
		if (h & 0x80000000)
			h -= 0x7fffffff;
		h1 = h0;
		h0 = h;
	}
	return h0 << 1;
}

/*
 * Pack up to 4 * nwords bytes of the name into nwords words, big end
 * first within each word, starting from (and padding with) a word made
 * of the remaining length's low byte.
 */
static void
name_words(const char *name, size_t len, uint32_t *w, int nwords, bool unsig)
{
	uint32_t pad, val;
	size_t i, n;
	int k = 0;

	pad = (uint32_t)len | ((uint32_t)len << 8);
	pad |= pad << 16;
	val = pad;
	n = MIN(len, (size_t)nwords * 4);
	for (i = 0; i < n; i++) {
		val = namebyte(name, i, unsig) + (val << 8);
		if (i % 4 == 3) {
			w[k++] = val;
			val = pad;
		}
	}
	if (k < nwords)
		w[k++] = val;
	while (k < nwords)
		w[k++] = pad;
}

#define MD4_F(x, y, z)	((z) ^ ((x) & ((y) ^ (z))))
#define MD4_G(x, y, z)	(((x) & (y)) + (((x) ^ (y)) & (z)))
#define MD4_H(x, y, z)	((x) ^ (y) ^ (z))
#define MD4_K2		0x5a827999
#define MD4_K3		0x6ed9eba1

/* One step: the four state words rotate through a, b, c, d. */
static uint32_t
md4_step(uint32_t a, uint32_t f, uint32_t x, int s)
{

	return rol32(a + f + x, s);
}

/* Three rounds of MD4 over eight words, added into the state. */
static void
half_md4(uint32_t st[4], const uint32_t in[8])
{
	static const uint8_t r2[8] = { 1, 3, 5, 7, 0, 2, 4, 6 };
	static const uint8_t r3[8] = { 3, 7, 2, 6, 1, 5, 0, 4 };
	static const uint8_t s1[4] = { 3, 7, 11, 19 };
	static const uint8_t s2[4] = { 3, 5, 9, 13 };
	static const uint8_t s3[4] = { 3, 9, 11, 15 };
	uint32_t v[4] = { st[0], st[1], st[2], st[3] };
	int i, a, b, c, d;

	for (i = 0; i < 8; i++) {
		a = (4 - i % 4) % 4;
		b = (a + 1) % 4;
		c = (a + 2) % 4;
		d = (a + 3) % 4;
		v[a] = md4_step(v[a], MD4_F(v[b], v[c], v[d]), in[i],
		    s1[i % 4]);
	}
	for (i = 0; i < 8; i++) {
		a = (4 - i % 4) % 4;
		b = (a + 1) % 4;
		c = (a + 2) % 4;
		d = (a + 3) % 4;
		v[a] = md4_step(v[a], MD4_G(v[b], v[c], v[d]),
		    in[r2[i]] + MD4_K2, s2[i % 4]);
	}
	for (i = 0; i < 8; i++) {
		a = (4 - i % 4) % 4;
		b = (a + 1) % 4;
		c = (a + 2) % 4;
		d = (a + 3) % 4;
		v[a] = md4_step(v[a], MD4_H(v[b], v[c], v[d]),
		    in[r3[i]] + MD4_K3, s3[i % 4]);
	}
	for (i = 0; i < 4; i++)
		st[i] += v[i];
}

/* Sixteen TEA rounds with the key in[0..3] over st[0], st[1]. */
static void
tea(uint32_t st[4], const uint32_t in[4])
{
	uint32_t sum = 0, b0 = st[0], b1 = st[1];
	int n;

	for (n = 0; n < 16; n++) {
		sum += 0x9e3779b9;
		b0 += ((b1 << 4) + in[0]) ^ (b1 + sum) ^ ((b1 >> 5) + in[1]);
		b1 += ((b0 << 4) + in[2]) ^ (b0 + sum) ^ ((b0 >> 5) + in[3]);
	}
	st[0] += b0;
	st[1] += b1;
}

int
ext2_dirhash(int version, const uint32_t seed[4], const char *name,
    size_t len, uint32_t *hashp, uint32_t *minorp)
{
	bool unsig = version >= EXT2_HASH_UNSIGNED;
	uint32_t st[4], in[8], hash, minor = 0;
	size_t off;

	if (version < 0 || version >= EXT2_HASH_NVERSIONS)
		return EINVAL;
	if (seed[0] | seed[1] | seed[2] | seed[3])
		memcpy(st, seed, sizeof(st));
	else
		memcpy(st, md4_init, sizeof(st));
	switch (version % EXT2_HASH_UNSIGNED) {
	case EXT2_HASH_LEGACY:
		hash = hash_legacy(name, len, unsig);
		break;
	case EXT2_HASH_HALF_MD4:
		for (off = 0; off < len; off += 32) {
			name_words(name + off, len - off, in, 8, unsig);
			half_md4(st, in);
		}
		hash = st[1];
		minor = st[2];
		break;
	default:
		for (off = 0; off < len; off += 16) {
			name_words(name + off, len - off, in, 4, unsig);
			tea(st, in);
		}
		hash = st[0];
		minor = st[1];
		break;
	}
	*hashp = hash & ~(uint32_t)1;
	if (minorp != NULL)
		*minorp = minor;
	return 0;
}
