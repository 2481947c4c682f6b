/*
 * component.h: the component registry.  A component (faction or driver)
 * registers itself from a constructor when its library is linked or
 * dlopen()ed; rump_init() initialises the registered components class by
 * class in the order of enum rump_component_class, and the kernel's halt
 * calls their shutdown functions in the reverse order (the vfs syncs and
 * unmounts its file systems there).
 */
#ifndef _KERN_COMPONENT_H_
#define _KERN_COMPONENT_H_

enum rump_component_class {
	RUMP_COMPONENT_VFS,		/* vfs faction, root file system */
	RUMP_COMPONENT_FS,		/* file system drivers */
	RUMP_COMPONENT_DEV,		/* device faction and drivers */
	RUMP_COMPONENT_NET,		/* network faction */
	RUMP_COMPONENT_NET_IF,		/* interfaces, protocols */
	RUMP_COMPONENT_SYSCALL,		/* system call groups */
	RUMP_COMPONENT__MAX
};

struct rump_component {
	const char		*rc_name;
	enum rump_component_class rc_class;
	int			(*rc_init)(void);	/* 0 or errno */
	void			(*rc_shutdown)(void);	/* may be NULL */
	struct rump_component	*rc_next;		/* registry */
	struct rump_component	*rc_initnext;		/* initialised */
};

void	rump_component_register(struct rump_component *);
/* Is a component of this name registered? */
int	rump_component_present(const char *);
/* Boot and shutdown: init by class order; shut down in reverse. */
int	component_init_all(void);
void	component_shutdown_all(void);

#define RUMP_COMPONENT(cls, name, init, shutdown)			\
static struct rump_component rumpcomp_##name = {			\
	.rc_name = #name, .rc_class = (cls),				\
	.rc_init = (init), .rc_shutdown = (shutdown),			\
};									\
static void __attribute__((__constructor__))				\
rumpcomp_register_##name(void)						\
{									\
	rump_component_register(&rumpcomp_##name);			\
}

#endif /* _KERN_COMPONENT_H_ */
