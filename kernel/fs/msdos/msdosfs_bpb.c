/*
 * msdosfs_bpb.c: the boot sector and the FSInfo sector.
 *
 * Owns reading the BIOS parameter block at mount and checking every
 * field the driver uses as the FAT specification says (jump, sector and
 * cluster sizes, reserved sectors, FATs, root entries, media, total
 * sectors, FAT size, signature), the FAT type from the count of
 * clusters, the FAT32 root cluster and FSInfo (free count and next free
 * hint, trusted only when in range, written back on sync), the volume
 * label, the clean-shutdown bit of FAT entry 1, and the report of
 * corruption found later.  The backup boot sector is left alone.
 */
#include <kern/types.h>
#include <kern/bdev.h>
#include <kern/kern.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <dev/buf.h>
#include <fs/msdos/msdosfs.h>

int
msdos_corrupt(struct msdos_mount *md, const char *fmt, ...)
{
	va_list ap;

	printf("%s: %s: corrupted: ", md->md_name, md->md_dev->bd_name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return MSDOS_ECORRUPT;
}

static int
badbpb(struct msdos_mount *md, const char *what, uint64_t val)
{

	printf("%s: %s: bad boot sector: %s (%llu)\n", md->md_name,
	    md->md_dev->bd_name, what, (unsigned long long)val);
	return EINVAL;
}

static bool
ispow2(uint32_t n)
{

	return n != 0 && (n & (n - 1)) == 0;
}

static uint32_t
log2u(uint32_t n)
{
	uint32_t l = 0;

	while ((1U << l) < n)
		l++;
	return l;
}

/* Sizes: sector, cluster, reserved area, FATs, media. */
static int
bpb_check_sizes(struct msdos_mount *md, const uint8_t *bs)
{
	uint32_t spc = bs[BPB_SECPERCLUS];

	if (bs[BPB_JMP] != 0xeb && bs[BPB_JMP] != 0xe9)
		return badbpb(md, "jump instruction", bs[BPB_JMP]);
	if (bs[BS_SIGNATURE] != 0x55 || bs[BS_SIGNATURE + 1] != 0xaa)
		return badbpb(md, "signature", le16(bs + BS_SIGNATURE));
	md->md_bps = le16(bs + BPB_BYTSPERSEC);
	if (md->md_bps < 512 || md->md_bps > 4096 || !ispow2(md->md_bps))
		return badbpb(md, "bytes per sector", md->md_bps);
	if (md->md_bps < md->md_dev->bd_secsize)
		return badbpb(md, "bytes per sector below the device's",
		    md->md_bps);
	if (!ispow2(spc) || spc > 128)
		return badbpb(md, "sectors per cluster", spc);
	md->md_csize = md->md_bps * spc;
	if (md->md_csize > 65536)
		return badbpb(md, "cluster size", md->md_csize);
	md->md_cshift = log2u(md->md_csize);
	if (le16(bs + BPB_RSVDSECCNT) == 0)
		return badbpb(md, "reserved sectors", 0);
	md->md_nfats = bs[BPB_NUMFATS];
	if (md->md_nfats == 0)
		return badbpb(md, "number of FATs", 0);
	if (bs[BPB_MEDIA] != 0xf0 && bs[BPB_MEDIA] < 0xf8)
		return badbpb(md, "media", bs[BPB_MEDIA]);
	return 0;
}

/* Layout: FATs, root directory, data, count of clusters and type. */
static int
bpb_check_layout(struct msdos_mount *md, const uint8_t *bs)
{
	uint64_t totsec, fatsz, rsvd, rootsec, datasec, first;

	md->md_rootents = le16(bs + BPB_ROOTENTCNT);
	totsec = le16(bs + BPB_TOTSEC16);
	if (totsec == 0)
		totsec = le32(bs + BPB_TOTSEC32);
	if (totsec == 0)
		return badbpb(md, "total sectors", 0);
	if (totsec * md->md_bps > md->md_dev->bd_size)
		return badbpb(md, "total sectors beyond the device", totsec);
	fatsz = le16(bs + BPB_FATSZ16);
	if (fatsz == 0)
		fatsz = le32(bs + BPB_FATSZ32);
	if (fatsz == 0)
		return badbpb(md, "FAT size", 0);
	rsvd = le16(bs + BPB_RSVDSECCNT);
	rootsec = howmany((uint64_t)md->md_rootents * DIRENT_SIZE,
	    md->md_bps);
	first = rsvd + md->md_nfats * fatsz + rootsec;
	if (first >= totsec)
		return badbpb(md, "FAT size", fatsz);
	datasec = totsec - first;
	md->md_nclusters = (uint32_t)(datasec / (md->md_csize / md->md_bps));
	if (md->md_nclusters == 0 || md->md_nclusters > 0x0ffffff5)
		return badbpb(md, "count of clusters", md->md_nclusters);
	md->md_maxcl = md->md_nclusters + 1;
	if (md->md_nclusters < FAT12_MAXCOUNT)
		md->md_type = FAT12;
	else if (md->md_nclusters < FAT16_MAXCOUNT)
		md->md_type = FAT16;
	else
		md->md_type = FAT32;
	if (fatsz * md->md_bps * 8 < (uint64_t)(md->md_maxcl + 1) *
	    md->md_type)
		return badbpb(md, "FAT size too small for the clusters",
		    fatsz);
	md->md_fatsize = (uint32_t)MIN(fatsz * md->md_bps, UINT32_MAX);
	md->md_fatoff = rsvd * md->md_bps;
	md->md_rootoff = (rsvd + md->md_nfats * fatsz) * md->md_bps;
	md->md_dataoff = first * md->md_bps;
	return 0;
}

static void
bpb_label(struct msdos_mount *md, const uint8_t *bs, uint32_t sigoff,
    uint32_t idoff, uint32_t laboff)
{
	int i;

	if (bs[sigoff] != BS_EXTBOOTSIG)
		return;
	md->md_volid = le32(bs + idoff);
	memcpy(md->md_label, bs + laboff, 11);
	md->md_label[11] = '\0';
	for (i = 10; i >= 0 && md->md_label[i] == ' '; i--)
		md->md_label[i] = '\0';
	if (strcmp(md->md_label, "NO NAME") == 0)
		md->md_label[0] = '\0';
}

/* Type-specific fields: FAT32's root cluster, version, FSInfo. */
static int
bpb_check_type(struct msdos_mount *md, const uint8_t *bs)
{
	uint32_t flags;

	if (md->md_type != FAT32) {
		if (md->md_rootents == 0)
			return badbpb(md, "root directory entries", 0);
		if (le16(bs + BPB_FATSZ16) == 0)
			return badbpb(md, "FAT size (16-bit)", 0);
		bpb_label(md, bs, BS16_BOOTSIG, BS16_VOLID, BS16_VOLLAB);
		return 0;
	}
	if (md->md_rootents != 0)
		return badbpb(md, "root directory entries", md->md_rootents);
	if (le16(bs + BPB_FSVER) != 0)
		return badbpb(md, "FAT32 version", le16(bs + BPB_FSVER));
	md->md_rootcl = le32(bs + BPB_ROOTCLUS);
	if (!msdos_clok(md, md->md_rootcl))
		return badbpb(md, "root cluster", md->md_rootcl);
	flags = le16(bs + BPB_EXTFLAGS);
	if (flags & BPB_EXTFLAGS_NOMIRROR) {
		md->md_actfat = flags & BPB_EXTFLAGS_ACTIVE;
		if (md->md_actfat >= md->md_nfats)
			return badbpb(md, "active FAT", md->md_actfat);
	}
	md->md_fsinfo = le16(bs + BPB_FSINFO);
	if (md->md_fsinfo == 0xffff ||
	    md->md_fsinfo >= le16(bs + BPB_RSVDSECCNT))
		md->md_fsinfo = 0;
	bpb_label(md, bs, BS32_BOOTSIG, BS32_VOLID, BS32_VOLLAB);
	return 0;
}

/* FSInfo: free count and hint, if its signatures are right. */
static int
fsinfo_load(struct msdos_mount *md, bool *trusted)
{
	struct buf *bp;
	const uint8_t *p;
	uint32_t nfree, next;
	int error;

	*trusted = false;
	if (md->md_fsinfo == 0)
		return 0;
	error = bread(md->md_dev, (uint64_t)md->md_fsinfo * md->md_bps,
	    md->md_bps, 0, &bp);
	if (error != 0)
		return error;
	p = bp->b_data;
	if (le32(p + FSI_LEADSIG) != FSI_LEADSIG_VAL ||
	    le32(p + FSI_STRUCSIG) != FSI_STRUCSIG_VAL ||
	    le32(p + FSI_TRAILSIG) != FSI_TRAILSIG_VAL) {
		printf("%s: %s: FSInfo signatures wrong, not used\n",
		    md->md_name, md->md_dev->bd_name);
		md->md_fsinfo = 0;
		brelse(bp);
		return 0;
	}
	nfree = le32(p + FSI_FREECOUNT);
	next = le32(p + FSI_NXTFREE);
	brelse(bp);
	if (msdos_clok(md, next))
		md->md_next = next;
	if (nfree <= md->md_nclusters) {
		md->md_free = nfree;
		*trusted = true;
	}
	return 0;
}

/* The label in the root directory (its first block) wins over the boot
 * sector's. */
static void
root_label(struct msdos_mount *md)
{
	struct buf *bp;
	const struct fat_dirent *de;
	uint32_t i, n;
	int j;

	if (md->md_type == FAT32) {
		n = md->md_csize / DIRENT_SIZE;
		if (bread(md->md_dev, msdos_cloff(md, md->md_rootcl),
		    md->md_csize, 0, &bp) != 0)
			return;
	} else {
		n = MIN(md->md_rootents, md->md_bps / DIRENT_SIZE);
		if (bread(md->md_dev, md->md_rootoff, md->md_bps, 0, &bp) != 0)
			return;
	}
	for (i = 0; i < n; i++) {
		de = (const struct fat_dirent *)bp->b_data + i;
		if (de->de_name[0] == SLOT_END)
			break;
		if (de->de_name[0] == SLOT_FREE ||
		    (de->de_attr & ATTR_LFN_MASK) == ATTR_LFN ||
		    (de->de_attr & ATTR_VOLUME) == 0)
			continue;
		memcpy(md->md_label, de->de_name, 11);
		for (j = 10; j >= 0 && md->md_label[j] == ' '; j--)
			md->md_label[j] = '\0';
		break;
	}
	brelse(bp);
}

int
msdos_bpb_load(struct msdos_mount *md)
{
	uint8_t bs[512];
	size_t done;
	bool trusted;
	int error;

	error = bdev_rw_unaligned(md->md_dev, BIO_READ, bs, sizeof(bs), 0,
	    &done);
	if (error == 0 && done != sizeof(bs))
		error = EINVAL;
	if (error != 0) {
		printf("%s: %s: cannot read the boot sector: error %d\n",
		    md->md_name, md->md_dev->bd_name, error);
		return error;
	}
	if ((error = bpb_check_sizes(md, bs)) != 0 ||
	    (error = bpb_check_layout(md, bs)) != 0 ||
	    (error = bpb_check_type(md, bs)) != 0)
		return error;
	md->md_next = FAT_MINCL;
	if ((error = fsinfo_load(md, &trusted)) != 0)
		return error;
	if (!trusted && (error = msdos_countfree(md)) != 0)
		return error;
	root_label(md);
	return 0;
}

int
msdos_setclean(struct msdos_mount *md, bool clean)
{
	uint32_t v, bit;
	int error;

	if (md->md_type == FAT12)
		return 0;
	bit = md->md_type == FAT16 ? FAT16_CLEAN : FAT32_CLEAN;
	mutex_enter(&md->md_lock);
	error = msdos_fat_get(md, 1, &v);
	if (error == 0 && ((v & bit) != 0) != clean)
		error = msdos_fat_set(md, 1, clean ? v | bit : v & ~bit);
	mutex_exit(&md->md_lock);
	return error;
}

/* Copy the free count and hint into FSInfo; md_lock held. */
static int
fsinfo_write(struct msdos_mount *md)
{
	struct buf *bp;
	uint8_t *p;
	int error;

	KASSERT(mutex_owned(&md->md_lock));
	if (md->md_fsinfo == 0 || !md->md_fsidirty)
		return 0;
	error = bread(md->md_dev, (uint64_t)md->md_fsinfo * md->md_bps,
	    md->md_bps, 0, &bp);
	if (error != 0)
		return error;
	p = bp->b_data;
	setle32(p + FSI_FREECOUNT, md->md_free);
	setle32(p + FSI_NXTFREE, md->md_next);
	bdwrite(bp);
	md->md_fsidirty = false;
	return 0;
}

int
msdos_sync_meta(struct msdos_mount *md)
{
	int error;

	mutex_enter(&md->md_lock);
	error = fsinfo_write(md);
	mutex_exit(&md->md_lock);
	if (error != 0) {
		printf("%s: %s: cannot write FSInfo: error %d\n", md->md_name,
		    md->md_dev->bd_name, error);
		return error;
	}
	return bflush(md->md_dev);
}
