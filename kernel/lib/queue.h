/*
 * queue.h: intrusive doubly-linked lists (LIST_*) and tail queues
 * (TAILQ_*) with the familiar BSD macro names.
 */
#ifndef _LIB_QUEUE_H_
#define _LIB_QUEUE_H_

#define LIST_HEAD(name, type)	struct name { struct type *lh_first; }
#define LIST_ENTRY(type)	struct { struct type *le_next; struct type **le_prev; }
#define LIST_INIT(h)		((h)->lh_first = NULL)
#define LIST_EMPTY(h)		((h)->lh_first == NULL)
#define LIST_FIRST(h)		((h)->lh_first)
#define LIST_NEXT(e, f)		((e)->f.le_next)
#define LIST_INSERT_HEAD(h, e, f) do {					\
	if (((e)->f.le_next = (h)->lh_first) != NULL)			\
		(h)->lh_first->f.le_prev = &(e)->f.le_next;		\
	(h)->lh_first = (e);						\
	(e)->f.le_prev = &(h)->lh_first;				\
} while (0)
#define LIST_REMOVE(e, f) do {						\
	if ((e)->f.le_next != NULL)					\
		(e)->f.le_next->f.le_prev = (e)->f.le_prev;		\
	*(e)->f.le_prev = (e)->f.le_next;				\
} while (0)
#define LIST_FOREACH(v, h, f)						\
	for ((v) = (h)->lh_first; (v) != NULL; (v) = (v)->f.le_next)
#define LIST_FOREACH_SAFE(v, h, f, t)					\
	for ((v) = (h)->lh_first; (v) && ((t) = (v)->f.le_next, 1); (v) = (t))

#define TAILQ_HEAD(name, type)						\
	struct name { struct type *tqh_first; struct type **tqh_last; }
#define TAILQ_ENTRY(type)						\
	struct { struct type *tqe_next; struct type **tqe_prev; }
#define TAILQ_INIT(h) do {						\
	(h)->tqh_first = NULL;						\
	(h)->tqh_last = &(h)->tqh_first;				\
} while (0)
#define TAILQ_EMPTY(h)		((h)->tqh_first == NULL)
#define TAILQ_FIRST(h)		((h)->tqh_first)
#define TAILQ_NEXT(e, f)	((e)->f.tqe_next)
#define TAILQ_INSERT_HEAD(h, e, f) do {					\
	if (((e)->f.tqe_next = (h)->tqh_first) != NULL)			\
		(h)->tqh_first->f.tqe_prev = &(e)->f.tqe_next;		\
	else								\
		(h)->tqh_last = &(e)->f.tqe_next;			\
	(h)->tqh_first = (e);						\
	(e)->f.tqe_prev = &(h)->tqh_first;				\
} while (0)
#define TAILQ_INSERT_TAIL(h, e, f) do {					\
	(e)->f.tqe_next = NULL;						\
	(e)->f.tqe_prev = (h)->tqh_last;				\
	*(h)->tqh_last = (e);						\
	(h)->tqh_last = &(e)->f.tqe_next;				\
} while (0)
#define TAILQ_INSERT_AFTER(h, le, e, f) do {				\
	if (((e)->f.tqe_next = (le)->f.tqe_next) != NULL)		\
		(e)->f.tqe_next->f.tqe_prev = &(e)->f.tqe_next;		\
	else								\
		(h)->tqh_last = &(e)->f.tqe_next;			\
	(le)->f.tqe_next = (e);						\
	(e)->f.tqe_prev = &(le)->f.tqe_next;				\
} while (0)
#define TAILQ_INSERT_BEFORE(le, e, f) do {				\
	(e)->f.tqe_prev = (le)->f.tqe_prev;				\
	(e)->f.tqe_next = (le);						\
	*(le)->f.tqe_prev = (e);					\
	(le)->f.tqe_prev = &(e)->f.tqe_next;				\
} while (0)
#define TAILQ_REMOVE(h, e, f) do {					\
	if ((e)->f.tqe_next != NULL)					\
		(e)->f.tqe_next->f.tqe_prev = (e)->f.tqe_prev;		\
	else								\
		(h)->tqh_last = (e)->f.tqe_prev;			\
	*(e)->f.tqe_prev = (e)->f.tqe_next;				\
} while (0)
#define TAILQ_FOREACH(v, h, f)						\
	for ((v) = (h)->tqh_first; (v) != NULL; (v) = (v)->f.tqe_next)
#define TAILQ_FOREACH_SAFE(v, h, f, t)					\
	for ((v) = (h)->tqh_first; (v) && ((t) = (v)->f.tqe_next, 1); (v) = (t))

#endif /* _LIB_QUEUE_H_ */
