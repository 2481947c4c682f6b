/*
 * sys_getcwd.c: getcwd(2) with Linux semantics (the result is the length
 * including the NUL; ERANGE if the buffer is too small).  There is no
 * name cache: the path is found by walking up from the working directory
 * through "..", looking each directory up by inode number in its parent
 * (vop_readdir), and stepping from the root of a mount to the directory
 * it covers.  ENOENT if the working directory has been removed.
 *
 * Locks: one directory at a time, shared, for lookup and readdir.
 */
#include <kern/types.h>
#include <kern/kmem.h>
#include <kern/syscall.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/misc.h>
#include <vfs/vnode.h>
#include <vfs/mount.h>
#include <vfs/vfs.h>
#include <vfs/vfs_syscalls.h>

struct getcwd_find {
	ino_t	 gf_ino;		/* looked for */
	char	*gf_name;		/* NAME_MAX + 1 bytes */
	size_t	 gf_len;
	bool	 gf_found;
};

static bool
getcwd_emit(struct dirctx *dc, ino_t ino, int dtype, const char *name,
    size_t len, off_t next)
{
	struct getcwd_find *gf = dc->dc_arg;

	if (ino != gf->gf_ino || len > NAME_MAX || vfs_dotname(name, len))
		return true;
	memcpy(gf->gf_name, name, len);
	gf->gf_len = len;
	gf->gf_found = true;
	return false;
}

/* The name of vp in its parent dvp (same mount), into gf. */
static int
getcwd_name(struct vnode *dvp, struct vnode *vp, struct getcwd_find *gf)
{
	struct dirctx dc;
	off_t prev;
	int error;

	gf->gf_ino = vp->v_ino;
	gf->gf_found = false;
	memset(&dc, 0, sizeof(dc));
	dc.dc_emit = getcwd_emit;
	dc.dc_arg = gf;
	vn_lock(dvp, RW_READER);
	do {
		prev = dc.dc_offset;
		error = dvp->v_op->vop_readdir(dvp, &dc);
	} while (error == 0 && !gf->gf_found && !dc.dc_eof &&
	    dc.dc_offset != prev);
	vn_unlock(dvp);
	if (error == 0 && !gf->gf_found)
		error = ENOENT;
	return error;
}

/* One step up from *vpp (referenced; replaced by its parent), putting
 * "/name" in front of the path that ends at buf[*offp]. */
static int
getcwd_step(struct vnode **vpp, char *buf, size_t *offp,
    struct getcwd_find *gf)
{
	struct vnode *vp = *vpp, *pvp;
	int error;

	vn_lock(vp, RW_READER);
	error = vp->v_op->vop_lookup(vp, "..", 2, &pvp);
	vn_unlock(vp);
	if (error != 0)
		return error;
	if (pvp == vp) {
		vrele(pvp);
		return ENOENT;
	}
	error = getcwd_name(pvp, vp, gf);
	if (error == 0 && gf->gf_len + 1 > *offp)
		error = ENAMETOOLONG;
	if (error != 0) {
		vrele(pvp);
		return error;
	}
	*offp -= gf->gf_len;
	memcpy(buf + *offp, gf->gf_name, gf->gf_len);
	buf[--*offp] = '/';
	vrele(vp);
	*vpp = pvp;
	return 0;
}

/* Build the cwd's path at the end of buf (PATH_MAX); *offp: its start. */
static int
getcwd_build(char *buf, size_t *offp)
{
	char name[NAME_MAX + 1];
	struct getcwd_find gf = { .gf_name = name };
	struct vnode *vp, *cvp;
	size_t off = PATH_MAX - 1;
	int error = 0;

	vp = cwd_get();
	if (vp == NULL)
		return ENOENT;
	buf[off] = '\0';
	while (error == 0 && vp != rootvnode) {
		if ((vp->v_vflag & VV_ROOT) &&
		    (cvp = vp->v_mount->mnt_vnodecovered) != NULL) {
			vref(cvp);
			vrele(vp);
			vp = cvp;
		} else {
			error = getcwd_step(&vp, buf, &off, &gf);
		}
	}
	vrele(vp);
	if (off == PATH_MAX - 1)
		buf[--off] = '/';
	*offp = off;
	return error;
}

static int
sys_getcwd(struct lwp *l, const register_t *args, register_t *retval)
{
	size_t size = SYSARG(size_t, 1);
	size_t off, len;
	char *buf;
	int error;

	buf = kmem_alloc(PATH_MAX);
	if (buf == NULL)
		return ENOMEM;
	error = getcwd_build(buf, &off);
	len = PATH_MAX - off;
	if (error == 0 && len > size)
		error = ERANGE;
	if (error == 0)
		error = copyout(buf + off, SYSARG(void *, 0), len);
	kmem_free(buf, PATH_MAX);
	if (error == 0)
		*retval = (register_t)len;
	return error;
}

const struct vfs_sysent vfs_sys_getcwd[] = {
	{ SYS_getcwd, sys_getcwd, "getcwd" },
	{ 0, NULL, NULL },
};
