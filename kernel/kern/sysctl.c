/*
 * sysctl.c: the sysctl tree, a hierarchy of named kernel values
 * ("kern.hostname", "hw.ncpu") that can be read and, when allowed,
 * written; and the standard nodes with the kernel's identity (ostype,
 * osrelease, osversion, machine, hostname), created at boot.
 *
 * Interior nodes are created implicitly by sysctl_create() (or made
 * explicitly, to describe them); leaves point at the caller's variable
 * (int, 64-bit quad, bool or NUL-terminated string buffer).  Nodes are
 * never removed.  The tree can be listed: RUMP_SYSCTL_NEXT walks it
 * depth first, children in name order, and RUMP_SYSCTL_INFO gives a
 * node's type, flags and description.
 *
 * Locking: sysctl_lock protects the shape of the tree and every read or
 * write of a leaf's value through this file.
 */

#include <kern/types.h>
#include <kern/kern.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <kern/lwp.h>
#include <kern/sched.h>
#include <lib/lib.h>
#include <lib/queue.h>
#include <abi/errno.h>
#include <abi/misc.h>
#include <rump/rumpuser.h>
#include <rump/rump_syscalls.h>

#define SYSCTL_NAMELEN	32	/* longest name component */
#define SYSCTL_NAMEMAX	128	/* longest full name, with the NUL */

_Static_assert(CTLTYPE_NODE == RUMP_CTLTYPE_NODE &&
    CTLTYPE_INT == RUMP_CTLTYPE_INT &&
    CTLTYPE_STRING == RUMP_CTLTYPE_STRING &&
    CTLTYPE_QUAD == RUMP_CTLTYPE_QUAD &&
    CTLTYPE_BOOL == RUMP_CTLTYPE_BOOL &&
    CTLFLAG_READWRITE == RUMP_CTLFLAG_READWRITE &&
    CTLFLAG_ANYWRITE == RUMP_CTLFLAG_ANYWRITE, "sysctl ABI");

struct sysctlnode {
	char			*sn_name;	/* component (constant) */
	struct sysctlnode	*sn_parent;	/* constant, NULL for root */
	int			 sn_type;	/* CTLTYPE_* (constant) */
	int			 sn_flags;	/* CTLFLAG_* (constant) */
	void			*sn_data;	/* value (sysctl_lock) */
	size_t			 sn_len;	/* size of sn_data (constant) */
	const char		*sn_descr;	/* description (constant) */
	LIST_HEAD(, sysctlnode)	 sn_children;	/* sysctl_lock */
	LIST_ENTRY(sysctlnode)	 sn_sibling;	/* sysctl_lock */
};

static kmutex_t sysctl_lock;
static struct sysctlnode sysctl_root;	/* interior, nameless */

char hostname[UTSNAME_LEN];
const char ostype[] = "rumpk";
const char osrelease[] = "0.1.0";
const char osversion[] = "rumpk 0.1.0";
#if defined(__x86_64__)
const char machine[] = "x86_64";
#elif defined(__aarch64__)
const char machine[] = "aarch64";
#elif defined(__i386__)
const char machine[] = "i386";
#elif defined(__arm__)
const char machine[] = "arm";
#elif defined(__riscv) && __riscv_xlen == 64
const char machine[] = "riscv64";
#elif defined(__powerpc64__)
const char machine[] = "ppc64";
#else
const char machine[] = "unknown";
#endif

static int pagesize = 4096;
static uint64_t memlimit;	/* kmem_limit(), fixed at boot */

const char *
hostname_get(void)
{

	return hostname;
}

/* Child of parent named by the first len bytes of comp; sysctl_lock. */
static struct sysctlnode *
sysctl_child(struct sysctlnode *parent, const char *comp, size_t len)
{
	struct sysctlnode *sn;

	LIST_FOREACH(sn, &parent->sn_children, sn_sibling) {
		if (strncmp(sn->sn_name, comp, len) == 0 &&
		    sn->sn_name[len] == '\0')
			return sn;
	}
	return NULL;
}

/* Length of the name component at s, up to the next '.' or the end. */
static size_t
sysctl_complen(const char *s)
{
	const char *dot = strchr(s, '.');

	return dot != NULL ? (size_t)(dot - s) : strlen(s);
}

/* Find the node called name; sysctl_lock held. */
static struct sysctlnode *
sysctl_find(const char *name)
{
	struct sysctlnode *sn = &sysctl_root;
	size_t len;

	for (;;) {
		len = sysctl_complen(name);
		if (len == 0 || sn->sn_type != CTLTYPE_NODE ||
		    (sn = sysctl_child(sn, name, len)) == NULL)
			return NULL;
		if (name[len] == '\0')
			return sn;
		name += len + 1;
	}
}

static struct sysctlnode *
sysctl_newnode(struct sysctlnode *parent, const char *comp, size_t len)
{
	struct sysctlnode *sn;

	if ((sn = kmem_zalloc(sizeof(*sn))) == NULL)
		return NULL;
	if ((sn->sn_name = kmem_alloc(len + 1)) == NULL) {
		kmem_free(sn, sizeof(*sn));
		return NULL;
	}
	memcpy(sn->sn_name, comp, len);
	sn->sn_name[len] = '\0';
	sn->sn_type = CTLTYPE_NODE;
	sn->sn_parent = parent;
	LIST_INIT(&sn->sn_children);
	LIST_INSERT_HEAD(&parent->sn_children, sn, sn_sibling);
	return sn;
}

static bool
sysctl_valid_leaf(int type, const void *data, size_t len)
{

	if (type == CTLTYPE_NODE)
		return data == NULL && len == 0;
	if (data == NULL)
		return false;
	switch (type) {
	case CTLTYPE_BOOL:
		return len == sizeof(bool);
	case CTLTYPE_INT:
		return len == sizeof(int);
	case CTLTYPE_QUAD:
		return len == sizeof(int64_t);
	case CTLTYPE_STRING:
		return len > 0;
	default:
		return false;
	}
}

/* Walk to the parent of the leaf, creating interior nodes; lock held. */
static int
sysctl_mkpath(const char **namep, struct sysctlnode **parentp)
{
	struct sysctlnode *sn = &sysctl_root, *child;
	const char *name = *namep;
	size_t len;

	for (;;) {
		len = sysctl_complen(name);
		if (len == 0 || len > SYSCTL_NAMELEN)
			return EINVAL;
		if (name[len] == '\0')
			break;
		if ((child = sysctl_child(sn, name, len)) == NULL &&
		    (child = sysctl_newnode(sn, name, len)) == NULL)
			return ENOMEM;
		if (child->sn_type != CTLTYPE_NODE)
			return ENOTDIR;
		sn = child;
		name += len + 1;
	}
	*namep = name;
	*parentp = sn;
	return 0;
}

int
sysctl_create(const char *name, int type, int flags, void *data, size_t len,
    const char *descr)
{
	struct sysctlnode *parent, *sn;
	int error;

	if (!sysctl_valid_leaf(type, data, len))
		return EINVAL;
	mutex_enter(&sysctl_lock);
	if ((error = sysctl_mkpath(&name, &parent)) != 0)
		goto out;
	if ((sn = sysctl_child(parent, name, strlen(name))) != NULL) {
		/* an implicit interior node gets its description */
		if (type == CTLTYPE_NODE && sn->sn_type == CTLTYPE_NODE &&
		    sn->sn_descr == NULL)
			sn->sn_descr = descr;
		else
			error = EEXIST;
		goto out;
	}
	if (strlen(name) > SYSCTL_NAMELEN) {
		error = EINVAL;
		goto out;
	}
	if ((sn = sysctl_newnode(parent, name, strlen(name))) == NULL) {
		error = ENOMEM;
		goto out;
	}
	sn->sn_type = type;
	sn->sn_flags = flags;
	sn->sn_data = data;
	sn->sn_len = len;
	sn->sn_descr = descr;
out:
	mutex_exit(&sysctl_lock);
	return error;
}

/* Bytes needed to read the value of leaf sn; sysctl_lock held. */
static size_t
sysctl_valuelen(const struct sysctlnode *sn)
{

	if (sn->sn_type == CTLTYPE_STRING)
		return strnlen(sn->sn_data, sn->sn_len - 1) + 1;
	return sn->sn_len;
}

static int
sysctl_read(const struct sysctlnode *sn, void *oldp, size_t *oldlenp)
{
	size_t need = sysctl_valuelen(sn);

	if (oldlenp == NULL)
		return EINVAL;
	if (oldp != NULL && *oldlenp < need) {
		*oldlenp = need;
		return ENOMEM;
	}
	if (oldp != NULL) {
		memcpy(oldp, sn->sn_data, need);
		if (sn->sn_type == CTLTYPE_STRING)
			((char *)oldp)[need - 1] = '\0';
	}
	*oldlenp = need;
	return 0;
}

static int
sysctl_write(struct sysctlnode *sn, const void *newp, size_t newlen)
{
	struct lwp *l = curlwp;
	size_t slen;

	if ((sn->sn_flags & CTLFLAG_READWRITE) == 0)
		return EPERM;
	if ((sn->sn_flags & CTLFLAG_ANYWRITE) == 0 &&
	    (l == NULL || l->l_cred == NULL || l->l_cred->cr_euid != 0))
		return EPERM;
	if (sn->sn_type == CTLTYPE_BOOL) {
		if (newlen != 1 || *(const unsigned char *)newp > 1)
			return EINVAL;
		*(bool *)sn->sn_data = *(const unsigned char *)newp != 0;
		return 0;
	}
	if (sn->sn_type != CTLTYPE_STRING) {
		if (newlen != sn->sn_len)
			return EINVAL;
		memcpy(sn->sn_data, newp, newlen);
		return 0;
	}
	slen = strnlen(newp, newlen);
	if (slen + 1 > sn->sn_len)
		return EINVAL;
	memcpy(sn->sn_data, newp, slen);
	((char *)sn->sn_data)[slen] = '\0';
	return 0;
}

/* The child of sn with the smallest name greater than after (NULL: the
 * smallest of all); NULL if none.  sysctl_lock held. */
static struct sysctlnode *
sysctl_nextchild(struct sysctlnode *sn, const char *after)
{
	struct sysctlnode *c, *best = NULL;

	LIST_FOREACH(c, &sn->sn_children, sn_sibling) {
		if (after != NULL && strcmp(c->sn_name, after) <= 0)
			continue;
		if (best == NULL || strcmp(c->sn_name, best->sn_name) < 0)
			best = c;
	}
	return best;
}

/* The node after sn in the walk; NULL at the end.  sysctl_lock held. */
static struct sysctlnode *
sysctl_walk(struct sysctlnode *sn)
{
	struct sysctlnode *next;

	if ((next = sysctl_nextchild(sn, NULL)) != NULL)
		return next;
	for (; sn->sn_parent != NULL; sn = sn->sn_parent) {
		if ((next = sysctl_nextchild(sn->sn_parent, sn->sn_name)) !=
		    NULL)
			return next;
	}
	return NULL;
}

/* sn's full name into buf (SYSCTL_NAMEMAX bytes); its length with the
 * NUL, or 0 if too long.  sysctl_lock held. */
static size_t
sysctl_fullname(const struct sysctlnode *sn, char *buf)
{
	size_t len, at = SYSCTL_NAMEMAX - 1;
	bool leaf = true;

	buf[at] = '\0';
	for (; sn->sn_parent != NULL; sn = sn->sn_parent) {
		len = strlen(sn->sn_name);
		if (len + (leaf ? 0 : 1) > at)
			return 0;
		if (!leaf)
			buf[--at] = '.';
		at -= len;
		memcpy(buf + at, sn->sn_name, len);
		leaf = false;
	}
	len = SYSCTL_NAMEMAX - at;
	memmove(buf, buf + at, len);
	return len;
}

/* Copy len bytes of a listing result to oldp; sysctl_read's rules. */
static int
sysctl_result(const void *res, size_t len, void *oldp, size_t *oldlenp)
{

	if (oldlenp == NULL)
		return EINVAL;
	if (oldp != NULL && *oldlenp < len) {
		*oldlenp = len;
		return ENOMEM;
	}
	if (oldp != NULL)
		memcpy(oldp, res, len);
	*oldlenp = len;
	return 0;
}

/* RUMP_SYSCTL_NEXT and RUMP_SYSCTL_INFO; sysctl_lock held. */
static int
sysctl_list(const char *op, void *oldp, size_t *oldlenp, const char *arg,
    size_t arglen)
{
	struct rump_sysctlinfo si;
	struct sysctlnode *sn;
	char buf[SYSCTL_NAMEMAX];
	size_t len;

	if (arg == NULL || arglen == 0 || arg[arglen - 1] != '\0')
		return EINVAL;
	sn = *arg == '\0' ? &sysctl_root : sysctl_find(arg);
	if (sn == NULL)
		return ENOENT;
	if (strcmp(op, RUMP_SYSCTL_NEXT) == 0) {
		if ((sn = sysctl_walk(sn)) == NULL)
			return ENOENT;
		if ((len = sysctl_fullname(sn, buf)) == 0)
			return ENAMETOOLONG;
		return sysctl_result(buf, len, oldp, oldlenp);
	}
	if (strcmp(op, RUMP_SYSCTL_INFO) != 0 || sn == &sysctl_root)
		return ENOENT;
	memset(&si, 0, sizeof(si));
	si.si_type = sn->sn_type;
	si.si_flags = (uint32_t)sn->sn_flags;
	if (sn->sn_descr != NULL)
		strlcpy(si.si_descr, sn->sn_descr, sizeof(si.si_descr));
	return sysctl_result(&si, sizeof(si), oldp, oldlenp);
}

int
sysctl_lookup(const char *name, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen)
{
	struct sysctlnode *sn;
	int error = 0;

	mutex_enter(&sysctl_lock);
	if (*name == '.') {
		error = sysctl_list(name, oldp, oldlenp, newp, newlen);
		goto out;
	}
	if ((sn = sysctl_find(name)) == NULL) {
		error = ENOENT;
		goto out;
	}
	if (sn->sn_type == CTLTYPE_NODE) {
		error = EISDIR;
		goto out;
	}
	if (oldp != NULL || oldlenp != NULL)
		error = sysctl_read(sn, oldp, oldlenp);
	if (error == 0 && newp != NULL)
		error = sysctl_write(sn, newp, newlen);
out:
	mutex_exit(&sysctl_lock);
	return error;
}

static const struct {
	const char	*name;
	int		 type;
	int		 flags;
	void		*data;
	size_t		 len;
	const char	*descr;
} sysctl_std[] = {
	{ "kern", CTLTYPE_NODE, 0, NULL, 0, "the kernel" },
	{ "hw", CTLTYPE_NODE, 0, NULL, 0, "the (virtual) machine" },
	{ "vfs", CTLTYPE_NODE, 0, NULL, 0, "file systems" },
	{ "kern.hostname", CTLTYPE_STRING, CTLFLAG_READWRITE, hostname,
	  sizeof(hostname), "host name" },
	{ "kern.ostype", CTLTYPE_STRING, CTLFLAG_READONLY,
	  (void *)(uintptr_t)ostype, sizeof(ostype), "operating system" },
	{ "kern.osrelease", CTLTYPE_STRING, CTLFLAG_READONLY,
	  (void *)(uintptr_t)osrelease, sizeof(osrelease), "release" },
	{ "kern.version", CTLTYPE_STRING, CTLFLAG_READONLY,
	  (void *)(uintptr_t)osversion, sizeof(osversion), "version" },
	{ "kern.memlimit", CTLTYPE_QUAD, CTLFLAG_READONLY, &memlimit,
	  sizeof(memlimit), "kernel memory limit in bytes, 0 = none" },
	{ "hw.machine", CTLTYPE_STRING, CTLFLAG_READONLY,
	  (void *)(uintptr_t)machine, sizeof(machine), "machine class" },
	{ "hw.ncpu", CTLTYPE_INT, CTLFLAG_READONLY, &ncpu, sizeof(ncpu),
	  "number of virtual CPUs" },
	{ "hw.pagesize", CTLTYPE_INT, CTLFLAG_READONLY, &pagesize,
	  sizeof(pagesize), "page size" },
};

int
sysctl_init_subsys(void)
{
	size_t i;
	int error;

	mutex_init(&sysctl_lock, MUTEX_DEFAULT);
	LIST_INIT(&sysctl_root.sn_children);
	if (rumpuser_getparam(RUMPUSER_PARAM_HOSTNAME, hostname,
	    sizeof(hostname)) != 0)
		strlcpy(hostname, ostype, sizeof(hostname));
	hostname[sizeof(hostname) - 1] = '\0';
	memlimit = kmem_limit();
	for (i = 0; i < __arraycount(sysctl_std); i++) {
		error = sysctl_create(sysctl_std[i].name, sysctl_std[i].type,
		    sysctl_std[i].flags, sysctl_std[i].data, sysctl_std[i].len,
		    sysctl_std[i].descr);
		if (error != 0) {
			printf("sysctl: cannot create %s: error %d\n",
			    sysctl_std[i].name, error);
			return error;
		}
	}
	return 0;
}
