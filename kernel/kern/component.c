/*
 * component.c: the component registry.  Constructors of component
 * libraries register here before main() (or at dlopen() time); rump_init()
 * walks the registry class by class.  Registration happens before the
 * kernel runs, from one thread at a time (the dynamic linker serialises
 * constructors), so the list needs no lock.
 */
#include <kern/types.h>
#include <kern/component.h>
#include <lib/lib.h>
#include <abi/errno.h>

static struct rump_component *components;	/* registration order */
static struct rump_component **components_tail = &components;
static struct rump_component *initialised;	/* newest first */

void
rump_component_register(struct rump_component *rc)
{

	rc->rc_next = NULL;
	*components_tail = rc;
	components_tail = &rc->rc_next;
}

int
rump_component_present(const char *name)
{
	struct rump_component *rc;

	for (rc = components; rc != NULL; rc = rc->rc_next)
		if (strcmp(rc->rc_name, name) == 0)
			return 1;
	return 0;
}

/* Initialise every component, class by class: 0 or the first error. */
int
component_init_all(void)
{
	struct rump_component *rc;
	int cls, error;

	for (cls = 0; cls < RUMP_COMPONENT__MAX; cls++) {
		for (rc = components; rc != NULL; rc = rc->rc_next) {
			if ((int)rc->rc_class != cls)
				continue;
			aprint_verbose("rumpk: init component %s\n",
			    rc->rc_name);
			error = rc->rc_init();
			if (error != 0) {
				printf("rumpk: component %s failed to "
				    "initialise: error %d\n", rc->rc_name,
				    error);
				return error;
			}
			rc->rc_initnext = initialised;
			initialised = rc;
		}
	}
	return 0;
}

/* Shut components down in the reverse of initialisation order. */
void
component_shutdown_all(void)
{
	struct rump_component *rc;

	for (rc = initialised; rc != NULL; rc = rc->rc_initnext)
		if (rc->rc_shutdown != NULL)
			rc->rc_shutdown();
	initialised = NULL;
}
