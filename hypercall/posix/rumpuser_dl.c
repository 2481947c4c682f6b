/*
 * rumpuser_dl.c: rumpuser_dl_bootstrap(), finding kernel components in
 * the loaded objects through their link sets.
 *
 * rumpk's own components register through constructors; this is for
 * hosting kernels that collect them in the link_set_modules and
 * link_set_rump_components sections.  Link sets of the main program are
 * visible only if it exports its symbols (-rdynamic).  symload is not
 * called: rumpk needs no host symbol tables.
 */
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>

#include "rumpuser_int.h"

struct dl_callbacks {
	rump_modinit_fn		modinit;
	rump_compload_fn	compload;
};

/* Does addr lie in one of the object's loaded segments? */
static int
dl_owns(const struct dl_phdr_info *info, const void *addr)
{
	uintptr_t a = (uintptr_t)addr, lo;
	int i;

	for (i = 0; i < info->dlpi_phnum; i++) {
		if (info->dlpi_phdr[i].p_type != PT_LOAD)
			continue;
		lo = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
		if (a >= lo && a < lo + info->dlpi_phdr[i].p_memsz)
			return 1;
	}
	return 0;
}

/*
 * Entries of a link set defined by this object itself: dlsym() also
 * searches the object's dependencies (or, for the main program, every
 * global object), so a hit elsewhere must be ignored.
 */
static size_t
dl_linkset(void *handle, const struct dl_phdr_info *info,
    const char *startsym, const char *stopsym, const void *const **startp)
{
	const void *const *start = dlsym(handle, startsym);
	const void *const *stop = dlsym(handle, stopsym);

	if (start == NULL || stop == NULL || stop <= start ||
	    !dl_owns(info, start))
		return 0;
	*startp = start;
	return (size_t)(stop - start);
}

static int
dl_visit(struct dl_phdr_info *info, size_t size, void *arg)
{
	const struct dl_callbacks *cb = arg;
	const void *const *set;
	void *handle;
	size_t i, n;

	handle = dlopen(info->dlpi_name[0] != '\0' ? info->dlpi_name : NULL,
	    RTLD_LAZY | RTLD_NOLOAD);
	if (handle == NULL)
		return 0;
	n = dl_linkset(handle, info, "__start_link_set_modules",
	    "__stop_link_set_modules", &set);
	if (n > 0 && cb->modinit != NULL)
		cb->modinit(set, n);
	n = dl_linkset(handle, info, "__start_link_set_rump_components",
	    "__stop_link_set_rump_components", &set);
	for (i = 0; i < n && cb->compload != NULL; i++)
		cb->compload(set[i]);
	dlclose(handle);
	return 0;
}

void
rumpuser_dl_bootstrap(rump_modinit_fn modinit, rump_symload_fn symload,
    rump_compload_fn compload)
{
	struct dl_callbacks cb = { .modinit = modinit, .compload = compload };

	dl_iterate_phdr(dl_visit, &cb);
}
