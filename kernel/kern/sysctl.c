/*
 * sysctl.c: the sysctl tree, a hierarchy of named kernel values
 * ("kern.hostname", "hw.ncpu") that can be read and, when allowed,
 * written; and the standard nodes with the kernel's identity (ostype,
 * osrelease, osversion, machine, hostname), created at boot.
 *
 * Interior nodes are created implicitly by sysctl_create(); leaves point
 * at the caller's variable (int, 64-bit quad or NUL-terminated string
 * buffer).  Nodes are never removed.
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

#define SYSCTL_NAMELEN	32	/* longest name component */
#define CTLTYPE_NODE	0	/* interior node */

struct sysctlnode {
	char			*sn_name;	/* component (constant) */
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
	LIST_INIT(&sn->sn_children);
	LIST_INSERT_HEAD(&parent->sn_children, sn, sn_sibling);
	return sn;
}

static bool
sysctl_valid_leaf(int type, const void *data, size_t len)
{

	if (data == NULL)
		return false;
	switch (type) {
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
	if (sysctl_child(parent, name, strlen(name)) != NULL) {
		error = EEXIST;
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

int
sysctl_lookup(const char *name, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen)
{
	struct sysctlnode *sn;
	int error = 0;

	mutex_enter(&sysctl_lock);
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
