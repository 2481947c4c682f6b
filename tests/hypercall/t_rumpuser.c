/*
 * t_rumpuser.c: the POSIX hypercall library on its own, without a kernel.
 *
 * A fake upcall table counts how often the library gives up and retakes
 * the virtual CPU, and "struct lwp" is a fake of this file's own.  Each
 * test case checks one behaviour of the rumpuser(3) v17 contract.
 */
#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rump/rumpuser.h>

struct lwp {
	int	id;
};

/* What the fake unschedule hands out and the fake schedule expects. */
#define FAKE_NLOCKS	7

static atomic_int nunsched;	/* hyp_backend_unschedule calls */
static atomic_int nsched;	/* hyp_backend_schedule calls */
static atomic_int badnlocks;	/* schedules given the wrong nlocks */
static atomic_int nlwpexit;	/* hyp_lwpexit calls */
static struct lwp *_Atomic exitlwp;	/* curlwp seen by hyp_lwpexit */

static void
fake_unschedule(int dummy, int *nlocks, void *interlock)
{
	atomic_fetch_add(&nunsched, 1);
	*nlocks = FAKE_NLOCKS;
}

static void
fake_schedule(int nlocks, void *interlock)
{
	if (nlocks != FAKE_NLOCKS)
		atomic_fetch_add(&badnlocks, 1);
	atomic_fetch_add(&nsched, 1);
}

static void
fake_lwpexit(void)
{
	atomic_store(&exitlwp, rumpuser_curlwp());
	atomic_fetch_add(&nlwpexit, 1);
}

static const struct rumpuser_hyperup fakehyp = {
	.hyp_backend_unschedule = fake_unschedule,
	.hyp_backend_schedule = fake_schedule,
	.hyp_lwpexit = fake_lwpexit,
};

static void
init(void)
{
	ATF_REQUIRE_EQ(0, rumpuser_init(RUMPUSER_VERSION, &fakehyp));
}

/* The CPU was given up exactly n times, and always taken back. */
static void
check_unscheduled(int n)
{
	ATF_CHECK_EQ(n, atomic_load(&nunsched));
	ATF_CHECK_EQ(n, atomic_load(&nsched));
	ATF_CHECK_EQ(0, atomic_load(&badnlocks));
}

static int64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1)
		continue;
}

/* Poll until *v == want; false after 5 seconds. */
static int
wait_for(atomic_int *v, int want)
{
	int i;

	for (i = 0; i < 5000 && atomic_load(v) != want; i++)
		sleep_ms(1);
	return atomic_load(v) == want;
}

static pthread_t
start(void *(*fn)(void *), void *arg)
{
	pthread_t pt;

	ATF_REQUIRE_EQ(0, pthread_create(&pt, NULL, fn, arg));
	return pt;
}

/* ---- init, memory, parameters ---------------------------------------- */

ATF_TC_WITHOUT_HEAD(init_rejects_version_16);
ATF_TC_BODY(init_rejects_version_16, tc)
{
	ATF_CHECK_EQ(EINVAL, rumpuser_init(16, &fakehyp));
	ATF_CHECK_EQ(0, rumpuser_init(17, &fakehyp));
}

ATF_TC_WITHOUT_HEAD(malloc_honours_alignment);
ATF_TC_BODY(malloc_honours_alignment, tc)
{
	static const int aligns[] = { 0, 1, 16, 64, 4096, 65536 };
	size_t i, want;
	void *p;

	for (i = 0; i < sizeof(aligns) / sizeof(aligns[0]); i++) {
		ATF_REQUIRE_EQ(0, rumpuser_malloc(100, aligns[i], &p));
		want = aligns[i] < (int)sizeof(void *) ? sizeof(void *) :
		    (size_t)aligns[i];
		ATF_CHECK_EQ_MSG(0, (uintptr_t)p % want, "alignment %d",
		    aligns[i]);
		memset(p, 0xa5, 100);
		rumpuser_free(p, 100);
	}
}

ATF_TC_WITHOUT_HEAD(malloc_rejects_non_power_of_two_alignment);
ATF_TC_BODY(malloc_rejects_non_power_of_two_alignment, tc)
{
	void *p;

	ATF_CHECK_EQ(EINVAL, rumpuser_malloc(100, 24, &p));
}

static void
check_param(const char *name, const char *want)
{
	char buf[64];

	ATF_REQUIRE_EQ(0, rumpuser_getparam(name, buf, sizeof(buf)));
	ATF_CHECK_STREQ(want, buf);
}

ATF_TC_WITHOUT_HEAD(getparam_ncpu_defaults_to_1);
ATF_TC_BODY(getparam_ncpu_defaults_to_1, tc)
{
	unsetenv("RUMP_NCPU");
	check_param(RUMPUSER_PARAM_NCPU, "1");
}

ATF_TC_WITHOUT_HEAD(getparam_ncpu_reads_RUMP_NCPU);
ATF_TC_BODY(getparam_ncpu_reads_RUMP_NCPU, tc)
{
	setenv("RUMP_NCPU", "3", 1);
	check_param(RUMPUSER_PARAM_NCPU, "3");
}

/* The kernel validates the value and refuses to boot on a bad one. */
ATF_TC_WITHOUT_HEAD(getparam_ncpu_passes_value_through);
ATF_TC_BODY(getparam_ncpu_passes_value_through, tc)
{
	static const char *vals[] = { "0", "-2", "4x", "many" };
	size_t i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		setenv("RUMP_NCPU", vals[i], 1);
		check_param(RUMPUSER_PARAM_NCPU, vals[i]);
	}
}

ATF_TC_WITHOUT_HEAD(getparam_hostname_defaults_to_rumpk_pid);
ATF_TC_BODY(getparam_hostname_defaults_to_rumpk_pid, tc)
{
	char want[32];

	unsetenv("RUMP_HOSTNAME");
	snprintf(want, sizeof(want), "rumpk-%ld", (long)getpid());
	check_param(RUMPUSER_PARAM_HOSTNAME, want);
}

ATF_TC_WITHOUT_HEAD(getparam_hostname_reads_RUMP_HOSTNAME);
ATF_TC_BODY(getparam_hostname_reads_RUMP_HOSTNAME, tc)
{
	setenv("RUMP_HOSTNAME", "box", 1);
	check_param(RUMPUSER_PARAM_HOSTNAME, "box");
}

ATF_TC_WITHOUT_HEAD(getparam_reads_environment);
ATF_TC_BODY(getparam_reads_environment, tc)
{
	setenv("RUMP_VERBOSE", "1", 1);
	check_param("RUMP_VERBOSE", "1");
}

ATF_TC_WITHOUT_HEAD(getparam_unset_is_enoent);
ATF_TC_BODY(getparam_unset_is_enoent, tc)
{
	char buf[16];

	unsetenv("RUMP_T_UNSET");
	ATF_CHECK_EQ(ENOENT, rumpuser_getparam("RUMP_T_UNSET", buf,
	    sizeof(buf)));
}

ATF_TC_WITHOUT_HEAD(getparam_erange_on_small_buffer);
ATF_TC_BODY(getparam_erange_on_small_buffer, tc)
{
	char buf[8];

	setenv("RUMP_T_PARAM", "hello", 1);
	memset(buf, 'x', sizeof(buf));
	ATF_CHECK_EQ(ERANGE, rumpuser_getparam("RUMP_T_PARAM", buf, 5));
	ATF_CHECK_EQ('x', buf[0]);
	ATF_REQUIRE_EQ(0, rumpuser_getparam("RUMP_T_PARAM", buf, 6));
	ATF_CHECK_STREQ("hello", buf);
}

/* ---- mutexes ---------------------------------------------------------- */

struct holder {
	struct rumpuser_mtx	*mtx;
	atomic_int		 held;	/* 1: held; -1: tryenter failed */
};

/* Hold h->mtx for 200ms. */
static void *
hold_mutex(void *arg)
{
	struct holder *h = arg;

	if (rumpuser_mutex_tryenter(h->mtx) != 0) {
		atomic_store(&h->held, -1);
		return NULL;
	}
	atomic_store(&h->held, 1);
	sleep_ms(200);
	atomic_store(&h->held, 0);
	rumpuser_mutex_exit(h->mtx);
	return NULL;
}

/* Enter a mutex of the given flags while another thread holds it. */
static void
enter_contended(int flags)
{
	struct holder h = { .held = 0 };
	pthread_t pt;

	init();
	rumpuser_mutex_init(&h.mtx, flags);
	pt = start(hold_mutex, &h);
	ATF_REQUIRE(wait_for(&h.held, 1));
	rumpuser_mutex_enter(h.mtx);
	ATF_CHECK_EQ(0, atomic_load(&h.held));
	rumpuser_mutex_exit(h.mtx);
	pthread_join(pt, NULL);
	rumpuser_mutex_destroy(h.mtx);
}

ATF_TC_WITHOUT_HEAD(mutex_uncontended_enter_keeps_cpu);
ATF_TC_BODY(mutex_uncontended_enter_keeps_cpu, tc)
{
	struct rumpuser_mtx *mtx;

	init();
	rumpuser_mutex_init(&mtx, RUMPUSER_MTX_KMUTEX);
	rumpuser_mutex_enter(mtx);
	rumpuser_mutex_exit(mtx);
	rumpuser_mutex_destroy(mtx);
	check_unscheduled(0);
}

ATF_TC_WITHOUT_HEAD(mutex_contended_enter_unschedules);
ATF_TC_BODY(mutex_contended_enter_unschedules, tc)
{
	enter_contended(RUMPUSER_MTX_KMUTEX);
	check_unscheduled(1);
}

ATF_TC_WITHOUT_HEAD(spin_mutex_contended_enter_keeps_cpu);
ATF_TC_BODY(spin_mutex_contended_enter_keeps_cpu, tc)
{
	enter_contended(RUMPUSER_MTX_SPIN);
	check_unscheduled(0);
}

ATF_TC_WITHOUT_HEAD(mutex_tryenter_ebusy_when_held);
ATF_TC_BODY(mutex_tryenter_ebusy_when_held, tc)
{
	struct holder h = { .held = 0 };
	pthread_t pt;

	init();
	rumpuser_mutex_init(&h.mtx, 0);
	pt = start(hold_mutex, &h);
	ATF_REQUIRE(wait_for(&h.held, 1));
	ATF_CHECK_EQ(EBUSY, rumpuser_mutex_tryenter(h.mtx));
	pthread_join(pt, NULL);
	ATF_CHECK_EQ(0, rumpuser_mutex_tryenter(h.mtx));
	rumpuser_mutex_exit(h.mtx);
	rumpuser_mutex_destroy(h.mtx);
	check_unscheduled(0);
}

ATF_TC_WITHOUT_HEAD(kmutex_owner_tracks_curlwp);
ATF_TC_BODY(kmutex_owner_tracks_curlwp, tc)
{
	struct rumpuser_mtx *kmtx, *mtx;
	struct lwp me = { 1 }, *owner;

	init();
	rumpuser_curlwpop(RUMPUSER_LWP_SET, &me);
	rumpuser_mutex_init(&kmtx, RUMPUSER_MTX_KMUTEX);
	rumpuser_mutex_owner(kmtx, &owner);
	ATF_CHECK_EQ(NULL, owner);
	rumpuser_mutex_enter(kmtx);
	rumpuser_mutex_owner(kmtx, &owner);
	ATF_CHECK_EQ(&me, owner);
	rumpuser_mutex_exit(kmtx);
	rumpuser_mutex_owner(kmtx, &owner);
	ATF_CHECK_EQ(NULL, owner);
	ATF_REQUIRE_EQ(0, rumpuser_mutex_tryenter(kmtx));
	rumpuser_mutex_owner(kmtx, &owner);
	ATF_CHECK_EQ(&me, owner);
	rumpuser_mutex_exit(kmtx);

	rumpuser_mutex_init(&mtx, 0);
	rumpuser_mutex_enter(mtx);
	rumpuser_mutex_owner(mtx, &owner);
	ATF_CHECK_EQ(NULL, owner);
	rumpuser_mutex_exit(mtx);
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, &me);
}

/* ---- rwlocks ---------------------------------------------------------- */

ATF_TC_WITHOUT_HEAD(rw_tryupgrade_only_sole_reader);
ATF_TC_BODY(rw_tryupgrade_only_sole_reader, tc)
{
	struct rumpuser_rw *rw;
	int held;

	init();
	rumpuser_rw_init(&rw);
	rumpuser_rw_enter(RUMPUSER_RW_READER, rw);
	rumpuser_rw_enter(RUMPUSER_RW_READER, rw);
	ATF_CHECK_EQ(EBUSY, rumpuser_rw_tryupgrade(rw));
	rumpuser_rw_exit(rw);
	ATF_REQUIRE_EQ(0, rumpuser_rw_tryupgrade(rw));
	rumpuser_rw_held(RUMPUSER_RW_WRITER, rw, &held);
	ATF_CHECK_EQ(1, held);
	rumpuser_rw_held(RUMPUSER_RW_READER, rw, &held);
	ATF_CHECK_EQ(0, held);
	ATF_CHECK_EQ(EBUSY, rumpuser_rw_tryenter(RUMPUSER_RW_READER, rw));
	rumpuser_rw_exit(rw);
	ATF_CHECK_EQ(EBUSY, rumpuser_rw_tryupgrade(rw));
	rumpuser_rw_destroy(rw);
	check_unscheduled(0);
}

ATF_TC_WITHOUT_HEAD(rw_downgrade_admits_readers);
ATF_TC_BODY(rw_downgrade_admits_readers, tc)
{
	struct rumpuser_rw *rw;
	int held;

	init();
	rumpuser_rw_init(&rw);
	rumpuser_rw_enter(RUMPUSER_RW_WRITER, rw);
	ATF_CHECK_EQ(EBUSY, rumpuser_rw_tryenter(RUMPUSER_RW_READER, rw));
	rumpuser_rw_downgrade(rw);
	rumpuser_rw_held(RUMPUSER_RW_WRITER, rw, &held);
	ATF_CHECK_EQ(0, held);
	rumpuser_rw_held(RUMPUSER_RW_READER, rw, &held);
	ATF_CHECK_EQ(1, held);
	ATF_CHECK_EQ(0, rumpuser_rw_tryenter(RUMPUSER_RW_READER, rw));
	ATF_CHECK_EQ(EBUSY, rumpuser_rw_tryenter(RUMPUSER_RW_WRITER, rw));
	rumpuser_rw_exit(rw);
	rumpuser_rw_exit(rw);
	ATF_CHECK_EQ(0, rumpuser_rw_tryenter(RUMPUSER_RW_WRITER, rw));
	rumpuser_rw_exit(rw);
	rumpuser_rw_destroy(rw);
}

ATF_TC_WITHOUT_HEAD(rw_held_writer_only_for_owning_lwp);
ATF_TC_BODY(rw_held_writer_only_for_owning_lwp, tc)
{
	struct lwp a = { 1 }, b = { 2 };
	struct rumpuser_rw *rw;
	int held;

	init();
	rumpuser_rw_init(&rw);
	rumpuser_curlwpop(RUMPUSER_LWP_SET, &a);
	rumpuser_rw_enter(RUMPUSER_RW_WRITER, rw);
	rumpuser_rw_held(RUMPUSER_RW_WRITER, rw, &held);
	ATF_CHECK_EQ(1, held);
	rumpuser_curlwpop(RUMPUSER_LWP_SET, &b);
	rumpuser_rw_held(RUMPUSER_RW_WRITER, rw, &held);
	ATF_CHECK_EQ(0, held);
	rumpuser_curlwpop(RUMPUSER_LWP_SET, &a);
	rumpuser_rw_exit(rw);
	rumpuser_rw_held(RUMPUSER_RW_WRITER, rw, &held);
	ATF_CHECK_EQ(0, held);
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, NULL);
	rumpuser_rw_destroy(rw);
}

struct rwthread {
	struct rumpuser_rw	*rw;
	int			 op;
	atomic_int		 state;	/* 1 trying, 2 acquired */
	int			 tryresult;
	int			 held;	/* rw_held(op) once acquired */
};

static void *
rw_acquire(void *arg)
{
	struct rwthread *t = arg;

	t->tryresult = rumpuser_rw_tryenter(t->op, t->rw);
	if (t->tryresult == 0)
		rumpuser_rw_exit(t->rw);
	atomic_store(&t->state, 1);
	rumpuser_rw_enter(t->op, t->rw);
	atomic_store(&t->state, 2);
	rumpuser_rw_held(t->op, t->rw, &t->held);
	rumpuser_rw_exit(t->rw);
	return NULL;
}

ATF_TC_WITHOUT_HEAD(rw_writer_excludes_readers);
ATF_TC_BODY(rw_writer_excludes_readers, tc)
{
	struct rwthread t = { .op = RUMPUSER_RW_READER };
	pthread_t pt;

	init();
	rumpuser_rw_init(&t.rw);
	rumpuser_rw_enter(RUMPUSER_RW_WRITER, t.rw);
	pt = start(rw_acquire, &t);
	ATF_REQUIRE(wait_for(&t.state, 1));
	sleep_ms(100);
	ATF_CHECK_EQ(1, atomic_load(&t.state));
	ATF_CHECK_EQ(EBUSY, t.tryresult);
	rumpuser_rw_exit(t.rw);
	pthread_join(pt, NULL);
	ATF_CHECK_EQ(2, atomic_load(&t.state));
	ATF_CHECK_EQ(1, t.held);
	rumpuser_rw_destroy(t.rw);
	check_unscheduled(1);
}

ATF_TC_WITHOUT_HEAD(rw_waiting_writer_blocks_new_readers);
ATF_TC_BODY(rw_waiting_writer_blocks_new_readers, tc)
{
	struct rwthread t = { .op = RUMPUSER_RW_WRITER };
	pthread_t pt;
	int i;

	init();
	rumpuser_rw_init(&t.rw);
	rumpuser_rw_enter(RUMPUSER_RW_READER, t.rw);
	pt = start(rw_acquire, &t);
	ATF_REQUIRE(wait_for(&t.state, 1));
	for (i = 0; i < 5000; i++) {
		if (rumpuser_rw_tryenter(RUMPUSER_RW_READER, t.rw) != 0)
			break;
		rumpuser_rw_exit(t.rw);
		sleep_ms(1);
	}
	ATF_CHECK_MSG(i < 5000, "new readers still admitted");
	ATF_CHECK_EQ(1, atomic_load(&t.state));
	rumpuser_rw_exit(t.rw);
	pthread_join(pt, NULL);
	ATF_CHECK_EQ(2, atomic_load(&t.state));
	ATF_CHECK_EQ(1, t.held);
	rumpuser_rw_destroy(t.rw);
}

/* ---- condition variables ---------------------------------------------- */

struct waiter {
	struct rumpuser_mtx	*mtx;
	struct rumpuser_cv	*cv;
	int			 go;	/* under mtx */
	int			 nowrap;
	struct lwp		 lwp;
	struct lwp		*owner;	/* mtx owner after waking */
};

static void *
cv_waiter(void *arg)
{
	struct waiter *w = arg;

	rumpuser_curlwpop(RUMPUSER_LWP_SET, &w->lwp);
	rumpuser_mutex_enter_nowrap(w->mtx);
	while (!w->go) {
		if (w->nowrap)
			rumpuser_cv_wait_nowrap(w->cv, w->mtx);
		else
			rumpuser_cv_wait(w->cv, w->mtx);
	}
	rumpuser_mutex_owner(w->mtx, &w->owner);
	rumpuser_mutex_exit(w->mtx);
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, NULL);
	return NULL;
}

/* Wait until n threads sleep on w->cv; return with w->mtx held. */
static int
enter_with_waiters(struct waiter *w, int n)
{
	int i, nwaiters;

	for (i = 0; i < 5000; i++) {
		rumpuser_mutex_enter_nowrap(w->mtx);
		rumpuser_cv_has_waiters(w->cv, &nwaiters);
		if (nwaiters == n)
			return 1;
		rumpuser_mutex_exit(w->mtx);
		sleep_ms(1);
	}
	return 0;
}

static void
waiter_init(struct waiter *w, int nowrap)
{
	memset(w, 0, sizeof(*w));
	rumpuser_mutex_init(&w->mtx, RUMPUSER_MTX_KMUTEX);
	rumpuser_cv_init(&w->cv);
	w->nowrap = nowrap;
	w->lwp.id = 2;
}

ATF_TC_WITHOUT_HEAD(cv_signal_wakes_waiter);
ATF_TC_BODY(cv_signal_wakes_waiter, tc)
{
	struct lwp me = { 1 }, *owner;
	struct waiter w;
	pthread_t pt;
	int nwaiters;

	init();
	waiter_init(&w, 0);
	rumpuser_curlwpop(RUMPUSER_LWP_SET, &me);
	pt = start(cv_waiter, &w);
	ATF_REQUIRE(enter_with_waiters(&w, 1));
	rumpuser_mutex_owner(w.mtx, &owner);
	ATF_CHECK_EQ(&me, owner);
	w.go = 1;
	rumpuser_cv_signal(w.cv);
	rumpuser_mutex_exit(w.mtx);
	pthread_join(pt, NULL);
	ATF_CHECK_EQ(&w.lwp, w.owner);
	rumpuser_cv_has_waiters(w.cv, &nwaiters);
	ATF_CHECK_EQ(0, nwaiters);
	check_unscheduled(1);
}

ATF_TC_WITHOUT_HEAD(cv_broadcast_wakes_all_waiters);
ATF_TC_BODY(cv_broadcast_wakes_all_waiters, tc)
{
	struct waiter w;
	pthread_t pt[3];
	int i;

	init();
	waiter_init(&w, 0);
	for (i = 0; i < 3; i++)
		pt[i] = start(cv_waiter, &w);
	ATF_REQUIRE(enter_with_waiters(&w, 3));
	w.go = 1;
	rumpuser_cv_broadcast(w.cv);
	rumpuser_mutex_exit(w.mtx);
	for (i = 0; i < 3; i++)
		pthread_join(pt[i], NULL);
	/* Three waits, and maybe contended re-entries after waking. */
	ATF_CHECK(atomic_load(&nunsched) >= 3);
	ATF_CHECK_EQ(atomic_load(&nunsched), atomic_load(&nsched));
}

ATF_TC_WITHOUT_HEAD(cv_wait_nowrap_keeps_cpu);
ATF_TC_BODY(cv_wait_nowrap_keeps_cpu, tc)
{
	struct waiter w;
	pthread_t pt;

	init();
	waiter_init(&w, 1);
	pt = start(cv_waiter, &w);
	ATF_REQUIRE(enter_with_waiters(&w, 1));
	w.go = 1;
	rumpuser_cv_signal(w.cv);
	rumpuser_mutex_exit(w.mtx);
	pthread_join(pt, NULL);
	ATF_CHECK_EQ(&w.lwp, w.owner);
	check_unscheduled(0);
}

ATF_TC_WITHOUT_HEAD(cv_timedwait_times_out);
ATF_TC_BODY(cv_timedwait_times_out, tc)
{
	struct rumpuser_mtx *mtx;
	struct rumpuser_cv *cv;
	struct lwp me = { 1 }, *owner;
	int64_t t0, elapsed;

	init();
	rumpuser_curlwpop(RUMPUSER_LWP_SET, &me);
	rumpuser_mutex_init(&mtx, RUMPUSER_MTX_KMUTEX);
	rumpuser_cv_init(&cv);
	rumpuser_mutex_enter(mtx);
	t0 = mono_ns();
	ATF_CHECK_EQ(ETIMEDOUT, rumpuser_cv_timedwait(cv, mtx, 0, 100000000));
	elapsed = mono_ns() - t0;
	ATF_CHECK_MSG(elapsed >= 100000000, "woke after %jd ns",
	    (intmax_t)elapsed);
	rumpuser_mutex_owner(mtx, &owner);
	ATF_CHECK_EQ(&me, owner);
	rumpuser_mutex_exit(mtx);
	check_unscheduled(1);
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, NULL);
}

/* ---- clocks ----------------------------------------------------------- */

ATF_TC_WITHOUT_HEAD(clock_sleep_absmono_waits_until);
ATF_TC_BODY(clock_sleep_absmono_waits_until, tc)
{
	int64_t sec, deadline, now;
	long nsec;

	init();
	ATF_REQUIRE_EQ(0, rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO,
	    &sec, &nsec));
	deadline = sec * 1000000000 + nsec + 100000000;
	ATF_REQUIRE_EQ(0, rumpuser_clock_sleep(RUMPUSER_CLOCK_ABSMONO,
	    deadline / 1000000000, deadline % 1000000000));
	ATF_REQUIRE_EQ(0, rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO,
	    &sec, &nsec));
	now = sec * 1000000000 + nsec;
	ATF_CHECK_MSG(now >= deadline, "woke %jd ns early",
	    (intmax_t)(deadline - now));
	check_unscheduled(1);
}

ATF_TC_WITHOUT_HEAD(clock_sleep_relwall_is_relative);
ATF_TC_BODY(clock_sleep_relwall_is_relative, tc)
{
	int64_t t0, elapsed;

	init();
	t0 = mono_ns();
	ATF_REQUIRE_EQ(0, rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0,
	    50000000));
	elapsed = mono_ns() - t0;
	ATF_CHECK(elapsed >= 50000000);
	ATF_CHECK(elapsed < 5000000000);
	check_unscheduled(1);
}

ATF_TC_WITHOUT_HEAD(clock_gettime_relwall_is_wall_clock);
ATF_TC_BODY(clock_gettime_relwall_is_wall_clock, tc)
{
	int64_t sec;
	long nsec;
	time_t before = time(NULL);

	ATF_REQUIRE_EQ(0, rumpuser_clock_gettime(RUMPUSER_CLOCK_RELWALL,
	    &sec, &nsec));
	ATF_CHECK(sec >= before && sec <= time(NULL));
	ATF_CHECK(nsec >= 0 && nsec < 1000000000);
}

ATF_TC_WITHOUT_HEAD(clock_unknown_clock_is_einval);
ATF_TC_BODY(clock_unknown_clock_is_einval, tc)
{
	int64_t sec;
	long nsec;

	init();
	ATF_CHECK_EQ(EINVAL, rumpuser_clock_gettime(2, &sec, &nsec));
	ATF_CHECK_EQ(EINVAL, rumpuser_clock_sleep(2, 0, 1));
	check_unscheduled(0);
}

/* ---- files ------------------------------------------------------------ */

static void
make_file(const char *name, size_t size)
{
	char *buf;
	int fd;

	ATF_REQUIRE((buf = calloc(1, size + 1)) != NULL);
	ATF_REQUIRE((fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644))
	    != -1);
	ATF_REQUIRE_EQ((ssize_t)size, write(fd, buf, size));
	close(fd);
	free(buf);
}

ATF_TC_WITHOUT_HEAD(open_excl_fails_on_existing_file);
ATF_TC_BODY(open_excl_fails_on_existing_file, tc)
{
	const int mode = RUMPUSER_OPEN_RDWR | RUMPUSER_OPEN_CREATE |
	    RUMPUSER_OPEN_EXCL;
	struct stat sb;
	mode_t mask = umask(0);
	int fd;

	init();
	umask(mask);
	ATF_REQUIRE_EQ(0, rumpuser_open("f", mode, &fd));
	ATF_REQUIRE_EQ(0, fstat(fd, &sb));
	ATF_CHECK_EQ(0644 & ~mask, sb.st_mode & 0777);
	ATF_CHECK_EQ(0, rumpuser_close(fd));
	ATF_CHECK_EQ(EEXIST, rumpuser_open("f", mode, &fd));
}

ATF_TC_WITHOUT_HEAD(open_missing_file_is_enoent);
ATF_TC_BODY(open_missing_file_is_enoent, tc)
{
	int fd;

	init();
	ATF_CHECK_EQ(ENOENT, rumpuser_open("missing", RUMPUSER_OPEN_RDONLY,
	    &fd));
}

ATF_TC_WITHOUT_HEAD(open_accmode_3_is_einval);
ATF_TC_BODY(open_accmode_3_is_einval, tc)
{
	int fd;

	init();
	make_file("f", 10);
	ATF_CHECK_EQ(EINVAL, rumpuser_open("f", RUMPUSER_OPEN_ACCMODE, &fd));
	check_unscheduled(0);
}

ATF_TC_WITHOUT_HEAD(open_is_close_on_exec_and_honours_accmode);
ATF_TC_BODY(open_is_close_on_exec_and_honours_accmode, tc)
{
	int fd;

	init();
	make_file("f", 10);
	ATF_REQUIRE_EQ(0, rumpuser_open("f", RUMPUSER_OPEN_WRONLY |
	    RUMPUSER_OPEN_BIO, &fd));
	ATF_CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	ATF_CHECK_EQ(O_WRONLY, fcntl(fd, F_GETFL) & O_ACCMODE);
	ATF_CHECK_EQ(0, rumpuser_close(fd));
	ATF_CHECK_EQ(EBADF, rumpuser_close(fd));
}

static size_t
iov_call(int dowrite, int fd, void *buf, size_t len, int64_t off)
{
	struct rumpuser_iovec iov = { buf, len };
	size_t n = 0;

	if (dowrite)
		ATF_REQUIRE_EQ(0, rumpuser_iovwrite(fd, &iov, 1, off, &n));
	else
		ATF_REQUIRE_EQ(0, rumpuser_iovread(fd, &iov, 1, off, &n));
	return n;
}

ATF_TC_WITHOUT_HEAD(iovwrite_iovread_roundtrip);
ATF_TC_BODY(iovwrite_iovread_roundtrip, tc)
{
	char a[] = "hello ", b[] = "world", ra[6], rb[6], buf[16];
	struct rumpuser_iovec wiov[2] = { { a, 6 }, { b, 5 } };
	struct rumpuser_iovec riov[2] = { { ra, 6 }, { rb, 5 } };
	uint64_t size;
	size_t n;
	int fd;

	init();
	ATF_REQUIRE_EQ(0, rumpuser_open("f", RUMPUSER_OPEN_RDWR |
	    RUMPUSER_OPEN_CREATE, &fd));
	ATF_REQUIRE_EQ(0, rumpuser_iovwrite(fd, wiov, 2, 100, &n));
	ATF_CHECK_EQ(11, n);
	ATF_REQUIRE_EQ(0, rumpuser_iovread(fd, riov, 2, 100, &n));
	ATF_CHECK_EQ(11, n);
	ATF_CHECK_EQ(0, memcmp(ra, "hello ", 6));
	ATF_CHECK_EQ(0, memcmp(rb, "world", 5));
	ATF_REQUIRE_EQ(0, rumpuser_getfileinfo("f", &size, NULL));
	ATF_CHECK_EQ(111, size);

	/* NOSEEK uses and advances the file position, still at 0. */
	ATF_CHECK_EQ(3, iov_call(1, fd, "abc", 3, RUMPUSER_IOV_NOSEEK));
	ATF_CHECK_EQ(3, iov_call(1, fd, "def", 3, RUMPUSER_IOV_NOSEEK));
	ATF_CHECK_EQ(6, lseek(fd, 0, SEEK_CUR));
	ATF_REQUIRE_EQ(0, lseek(fd, 0, SEEK_SET));
	ATF_CHECK_EQ(6, iov_call(0, fd, buf, 6, RUMPUSER_IOV_NOSEEK));
	ATF_CHECK_EQ(0, memcmp(buf, "abcdef", 6));
	ATF_CHECK_EQ(5, iov_call(0, fd, buf, 16, 106));
	ATF_CHECK_EQ(0, memcmp(buf, "world", 5));
	rumpuser_close(fd);
	check_unscheduled(7);
}

ATF_TC_WITHOUT_HEAD(iovread_bad_fd_is_ebadf);
ATF_TC_BODY(iovread_bad_fd_is_ebadf, tc)
{
	char buf[4];
	struct rumpuser_iovec iov = { buf, sizeof(buf) };
	size_t n;

	init();
	ATF_CHECK_EQ(EBADF, rumpuser_iovread(-1, &iov, 1, 0, &n));
	ATF_CHECK_EQ(EBADF, rumpuser_iovwrite(-1, &iov, 1,
	    RUMPUSER_IOV_NOSEEK, &n));
}

ATF_TC_WITHOUT_HEAD(getfileinfo_reports_size_and_type);
ATF_TC_BODY(getfileinfo_reports_size_and_type, tc)
{
	uint64_t size;
	int type;

	make_file("f", 1234);
	ATF_REQUIRE_EQ(0, mkfifo("fifo", 0644));
	ATF_REQUIRE_EQ(0, rumpuser_getfileinfo("f", &size, &type));
	ATF_CHECK_EQ(1234, size);
	ATF_CHECK_EQ(RUMPUSER_FT_REG, type);
	ATF_REQUIRE_EQ(0, rumpuser_getfileinfo(".", &size, &type));
	ATF_CHECK_EQ(RUMPUSER_FT_DIR, type);
	ATF_REQUIRE_EQ(0, rumpuser_getfileinfo("/dev/null", &size, &type));
	ATF_CHECK_EQ(RUMPUSER_FT_CHR, type);
	ATF_REQUIRE_EQ(0, rumpuser_getfileinfo("fifo", &size, &type));
	ATF_CHECK_EQ(RUMPUSER_FT_OTHER, type);
	ATF_CHECK_EQ(ENOENT, rumpuser_getfileinfo("missing", &size, &type));
	type = -1;
	ATF_REQUIRE_EQ(0, rumpuser_getfileinfo("f", NULL, &type));
	ATF_CHECK_EQ(RUMPUSER_FT_REG, type);
	size = 0;
	ATF_REQUIRE_EQ(0, rumpuser_getfileinfo("f", &size, NULL));
	ATF_CHECK_EQ(1234, size);
}

ATF_TC_WITHOUT_HEAD(syncfd_syncs_and_reports_errors);
ATF_TC_BODY(syncfd_syncs_and_reports_errors, tc)
{
	int fd, p[2];

	init();
	ATF_REQUIRE_EQ(0, rumpuser_open("f", RUMPUSER_OPEN_RDWR |
	    RUMPUSER_OPEN_CREATE, &fd));
	ATF_CHECK_EQ(0, rumpuser_syncfd(fd, RUMPUSER_SYNCFD_READ, 0, 0));
	ATF_CHECK_EQ(0, rumpuser_syncfd(fd, RUMPUSER_SYNCFD_WRITE, 0, 0));
	ATF_CHECK_EQ(0, rumpuser_syncfd(fd, RUMPUSER_SYNCFD_BARRIER, 0, 0));
	ATF_CHECK_EQ(0, rumpuser_syncfd(fd, RUMPUSER_SYNCFD_SYNC, 0, 0));
	ATF_REQUIRE_EQ(0, pipe(p));
	ATF_CHECK_EQ(EINVAL, rumpuser_syncfd(p[1], RUMPUSER_SYNCFD_WRITE, 0,
	    0));
	/* open + four syncs; READ alone does nothing. */
	check_unscheduled(5);
}

/* ---- asynchronous block I/O ------------------------------------------- */

#define NBIO	8
#define BIOSIZE	4096

static struct {
	pthread_mutex_t	lock;
	pthread_cond_t	cv;
	int		ndone;
	size_t		done[NBIO];
	int		error[NBIO];
	pthread_t	thread[NBIO];
} bio = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cv = PTHREAD_COND_INITIALIZER,
};

static void
biodone(void *arg, size_t done, int error)
{
	int i = (int)(intptr_t)arg;

	pthread_mutex_lock(&bio.lock);
	bio.done[i] = done;
	bio.error[i] = error;
	bio.thread[i] = pthread_self();
	bio.ndone++;
	pthread_cond_broadcast(&bio.cv);
	pthread_mutex_unlock(&bio.lock);
}

/* Wait for n completions (10 seconds at most) and reset the count. */
static void
bio_wait(int n)
{
	struct timespec deadline;
	int rv = 0;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	pthread_mutex_lock(&bio.lock);
	while (bio.ndone < n && rv == 0)
		rv = pthread_cond_timedwait(&bio.cv, &bio.lock, &deadline);
	ATF_CHECK_EQ(n, bio.ndone);
	bio.ndone = 0;
	pthread_mutex_unlock(&bio.lock);
	ATF_REQUIRE_EQ(0, rv);
}

static int
bio_open(const char *name)
{
	int fd;

	ATF_REQUIRE_EQ(0, rumpuser_open(name, RUMPUSER_OPEN_RDWR |
	    RUMPUSER_OPEN_CREATE | RUMPUSER_OPEN_BIO, &fd));
	return fd;
}

ATF_TC_WITHOUT_HEAD(bio_write_then_read_async);
ATF_TC_BODY(bio_write_then_read_async, tc)
{
	static char wbuf[NBIO][BIOSIZE], rbuf[NBIO][BIOSIZE];
	char check[BIOSIZE];
	int fd, i;

	init();
	fd = bio_open("disk");
	for (i = 0; i < NBIO; i++) {
		memset(wbuf[i], 'a' + i, BIOSIZE);
		rumpuser_bio(fd, RUMPUSER_BIO_WRITE | (i == 0 ?
		    RUMPUSER_BIO_SYNC : 0), wbuf[i], BIOSIZE,
		    (int64_t)i * BIOSIZE, biodone, (void *)(intptr_t)i);
	}
	bio_wait(NBIO);
	for (i = 0; i < NBIO; i++) {
		ATF_CHECK_EQ(BIOSIZE, bio.done[i]);
		ATF_CHECK_EQ(0, bio.error[i]);
		ATF_CHECK(!pthread_equal(pthread_self(), bio.thread[i]));
		ATF_REQUIRE_EQ(BIOSIZE, pread(fd, check, BIOSIZE,
		    (off_t)i * BIOSIZE));
		ATF_CHECK_EQ(0, memcmp(check, wbuf[i], BIOSIZE));
	}
	for (i = 0; i < NBIO; i++)
		rumpuser_bio(fd, RUMPUSER_BIO_READ, rbuf[i], BIOSIZE,
		    (int64_t)(NBIO - 1 - i) * BIOSIZE, biodone,
		    (void *)(intptr_t)i);
	bio_wait(NBIO);
	for (i = 0; i < NBIO; i++) {
		ATF_CHECK_EQ(BIOSIZE, bio.done[i]);
		ATF_CHECK_EQ(0, bio.error[i]);
		ATF_CHECK_EQ(0, memcmp(rbuf[i], wbuf[NBIO - 1 - i], BIOSIZE));
	}
	rumpuser_close(fd);
	/* Only the open gave up the CPU: bio itself never blocks. */
	check_unscheduled(1);
}

ATF_TC_WITHOUT_HEAD(bio_read_past_eof_is_short);
ATF_TC_BODY(bio_read_past_eof_is_short, tc)
{
	static char buf[2][BIOSIZE];
	int fd;

	init();
	make_file("disk", 1000);
	fd = bio_open("disk");
	rumpuser_bio(fd, RUMPUSER_BIO_READ, buf[0], BIOSIZE, 512, biodone,
	    (void *)0);
	rumpuser_bio(fd, RUMPUSER_BIO_READ, buf[1], BIOSIZE, 8192, biodone,
	    (void *)1);
	bio_wait(2);
	ATF_CHECK_EQ(488, bio.done[0]);
	ATF_CHECK_EQ(0, bio.error[0]);
	ATF_CHECK_EQ(0, bio.done[1]);
	ATF_CHECK_EQ(0, bio.error[1]);
	rumpuser_close(fd);
}

ATF_TC_WITHOUT_HEAD(bio_write_to_readonly_fd_reports_ebadf);
ATF_TC_BODY(bio_write_to_readonly_fd_reports_ebadf, tc)
{
	static char buf[BIOSIZE];
	int fd;

	init();
	make_file("disk", BIOSIZE);
	ATF_REQUIRE_EQ(0, rumpuser_open("disk", RUMPUSER_OPEN_RDONLY |
	    RUMPUSER_OPEN_BIO, &fd));
	rumpuser_bio(fd, RUMPUSER_BIO_WRITE, buf, BIOSIZE, 0, biodone,
	    (void *)0);
	bio_wait(1);
	ATF_CHECK_EQ(0, bio.done[0]);
	ATF_CHECK_EQ(EBADF, bio.error[0]);
	rumpuser_close(fd);
}

/* ---- threads and curlwp ------------------------------------------------ */

struct tstate {
	atomic_int	go;
	atomic_int	ran;
	int		exited_early;
	char		name[16];
};

static void *
named_thread(void *arg)
{
	struct tstate *t = arg;

	if (!wait_for(&t->go, 1))
		return NULL;
	pthread_getname_np(pthread_self(), t->name, sizeof(t->name));
	atomic_store(&t->ran, 1);
	return NULL;
}

ATF_TC_WITHOUT_HEAD(thread_create_join);
ATF_TC_BODY(thread_create_join, tc)
{
	struct tstate t = { .go = 0 };
	void *cookie;

	init();
	ATF_REQUIRE_EQ(0, rumpuser_thread_create(named_thread, &t,
	    "averyveryverylongname", 1, 0, -1, &cookie));
	atomic_store(&t.go, 1);
	ATF_REQUIRE_EQ(0, rumpuser_thread_join(cookie));
	ATF_CHECK_EQ(1, atomic_load(&t.ran));
	ATF_CHECK_STREQ("averyveryverylo", t.name);
}

ATF_TC_WITHOUT_HEAD(thread_create_detached_runs);
ATF_TC_BODY(thread_create_detached_runs, tc)
{
	struct tstate t = { .go = 1 };
	void *cookie = NULL;

	init();
	ATF_REQUIRE_EQ(0, rumpuser_thread_create(named_thread, &t, NULL, 0,
	    0, -1, &cookie));
	ATF_CHECK(wait_for(&t.ran, 1));
	ATF_CHECK_EQ(NULL, cookie);
}

static void *
sleepy_thread(void *arg)
{
	struct tstate *t = arg;

	sleep_ms(100);
	atomic_store(&t->ran, 1);
	rumpuser_thread_exit();
}

ATF_TC_WITHOUT_HEAD(thread_join_of_running_thread_unschedules);
ATF_TC_BODY(thread_join_of_running_thread_unschedules, tc)
{
	struct tstate t = { .go = 0 };
	void *cookie;

	init();
	ATF_REQUIRE_EQ(0, rumpuser_thread_create(sleepy_thread, &t, "sleepy",
	    1, 0, -1, &cookie));
	ATF_REQUIRE_EQ(0, rumpuser_thread_join(cookie));
	ATF_CHECK_EQ(1, atomic_load(&t.ran));
	check_unscheduled(1);
}

static struct lwp *
curlwp_in(void *(*fn)(void *), struct lwp *l)
{
	void *cookie;

	ATF_REQUIRE_EQ(0, rumpuser_thread_create(fn, l, "lwp", 1, 0, -1,
	    &cookie));
	ATF_REQUIRE_EQ(0, rumpuser_thread_join(cookie));
	return atomic_load(&exitlwp);
}

static void *
set_lwp_and_exit(void *arg)
{
	rumpuser_curlwpop(RUMPUSER_LWP_SET, arg);
	return NULL;
}

static void *
set_clear_lwp_and_exit(void *arg)
{
	rumpuser_curlwpop(RUMPUSER_LWP_SET, arg);
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, arg);
	return NULL;
}

ATF_TC_WITHOUT_HEAD(curlwp_set_clear_and_lwpexit_on_thread_exit);
ATF_TC_BODY(curlwp_set_clear_and_lwpexit_on_thread_exit, tc)
{
	struct lwp a = { 1 }, b = { 2 }, c = { 3 };

	init();
	ATF_CHECK_EQ(NULL, rumpuser_curlwp());
	rumpuser_curlwpop(RUMPUSER_LWP_CREATE, &a);
	ATF_CHECK_EQ(NULL, rumpuser_curlwp());
	rumpuser_curlwpop(RUMPUSER_LWP_SET, &a);
	ATF_CHECK_EQ(&a, rumpuser_curlwp());
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, &a);
	ATF_CHECK_EQ(NULL, rumpuser_curlwp());
	rumpuser_curlwpop(RUMPUSER_LWP_DESTROY, &a);

	ATF_CHECK_EQ(&b, curlwp_in(set_lwp_and_exit, &b));
	ATF_CHECK_EQ(1, atomic_load(&nlwpexit));
	ATF_CHECK_EQ(&b, curlwp_in(set_clear_lwp_and_exit, &c));
	ATF_CHECK_EQ(1, atomic_load(&nlwpexit));
}

/* ---- console, signals, randomness, errno, exit -------------------------- */

/* Point stderr at a new file "console"; return a descriptor to read it. */
static int
capture_stderr(void)
{
	int fd;

	ATF_REQUIRE((fd = open("console", O_RDWR | O_CREAT | O_TRUNC, 0644))
	    != -1);
	ATF_REQUIRE_EQ(STDERR_FILENO, dup2(fd, STDERR_FILENO));
	return fd;
}

static void
check_captured(int fd, const char *want)
{
	char buf[64];
	ssize_t n;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	ATF_REQUIRE(n >= 0);
	buf[n] = '\0';
	ATF_CHECK_STREQ(want, buf);
}

ATF_TC_WITHOUT_HEAD(putchar_writes_whole_lines);
ATF_TC_BODY(putchar_writes_whole_lines, tc)
{
	int fd = capture_stderr();

	rumpuser_putchar('o');
	rumpuser_putchar('k');
	check_captured(fd, "");
	rumpuser_putchar('\n');
	check_captured(fd, "ok\n");
}

ATF_TC_WITHOUT_HEAD(dprintf_writes_to_stderr);
ATF_TC_BODY(dprintf_writes_to_stderr, tc)
{
	int fd = capture_stderr();

	rumpuser_dprintf("x=%d %s\n", 42, "y");
	check_captured(fd, "x=42 y\n");
}

static volatile sig_atomic_t caught;

static void
catch(int sig)
{
	caught = sig;
}

ATF_TC_WITHOUT_HEAD(kill_self_raises_signal);
ATF_TC_BODY(kill_self_raises_signal, tc)
{
	signal(SIGUSR1, catch);
	signal(SIGUSR2, catch);
	ATF_CHECK_EQ(0, rumpuser_kill(-1, SIGUSR1));
	ATF_CHECK_EQ(SIGUSR1, caught);
	ATF_CHECK_EQ(0, rumpuser_kill(getpid(), SIGUSR2));
	ATF_CHECK_EQ(SIGUSR2, caught);
}

ATF_TC_WITHOUT_HEAD(kill_other_process_is_eperm);
ATF_TC_BODY(kill_other_process_is_eperm, tc)
{
	ATF_CHECK_EQ(EPERM, rumpuser_kill(getppid(), SIGTERM));
	ATF_CHECK_EQ(EPERM, rumpuser_kill(1, 0));
}

ATF_TC_WITHOUT_HEAD(getrandom_fills_buffer);
ATF_TC_BODY(getrandom_fills_buffer, tc)
{
	static char a[4096], b[4096], zero[4096];
	size_t n;

	init();
	ATF_REQUIRE_EQ(0, rumpuser_getrandom(a, sizeof(a), 0, &n));
	ATF_CHECK_EQ(sizeof(a), n);
	ATF_REQUIRE_EQ(0, rumpuser_getrandom(b, sizeof(b),
	    RUMPUSER_RANDOM_NOWAIT | RUMPUSER_RANDOM_HARD, &n));
	ATF_CHECK_EQ(sizeof(b), n);
	ATF_CHECK(memcmp(a, zero, sizeof(a)) != 0);
	ATF_CHECK(memcmp(a, b, sizeof(a)) != 0);
	check_unscheduled(0);
}

ATF_TC_WITHOUT_HEAD(seterrno_sets_errno);
ATF_TC_BODY(seterrno_sets_errno, tc)
{
	errno = 0;
	rumpuser_seterrno(ENOTDIR);
	ATF_CHECK_EQ(ENOTDIR, errno);
}

/* Run fn(arg) in a child process and return its wait status. */
static int
in_child(void (*fn)(int), int arg)
{
	pid_t pid;
	int status;

	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		fn(arg);
		_exit(100);
	}
	ATF_REQUIRE_EQ(pid, waitpid(pid, &status, 0));
	return status;
}

static void
exit_with(int value)
{
	struct rlimit nocore = { 0, 0 };

	setrlimit(RLIMIT_CORE, &nocore);
	rumpuser_exit(value);
}

ATF_TC_WITHOUT_HEAD(exit_passes_status);
ATF_TC_BODY(exit_passes_status, tc)
{
	int status = in_child(exit_with, 3);

	ATF_REQUIRE(WIFEXITED(status));
	ATF_CHECK_EQ(3, WEXITSTATUS(status));
}

ATF_TC_WITHOUT_HEAD(exit_panic_aborts);
ATF_TC_BODY(exit_panic_aborts, tc)
{
	int status = in_child(exit_with, RUMPUSER_PANIC);

	ATF_REQUIRE(WIFSIGNALED(status));
	ATF_CHECK_EQ(SIGABRT, WTERMSIG(status));
}

/* ---- daemonizing -------------------------------------------------------- */

ATF_TC_WITHOUT_HEAD(daemonize_done_without_begin_einval);
ATF_TC_BODY(daemonize_done_without_begin_einval, tc)
{
	ATF_CHECK_EQ(EINVAL, rumpuser_daemonize_done(0));
}

/* Daemonize, then report "error" as the start-up verdict. */
static void
daemon_reports(int error)
{
	if (rumpuser_daemonize_begin() != 0)
		_exit(101);
	rumpuser_daemonize_done(error);
	_exit(0);
}

/* Daemonize, then report whether a second begin said EBUSY. */
static void
daemon_begins_twice(int unused)
{
	if (rumpuser_daemonize_begin() != 0)
		_exit(101);
	rumpuser_daemonize_done(rumpuser_daemonize_begin() == EBUSY ? 0 :
	    EPROTO);
	_exit(0);
}

ATF_TC_WITHOUT_HEAD(daemonize_parent_exits_with_child_status);
ATF_TC_BODY(daemonize_parent_exits_with_child_status, tc)
{
	int status;

	status = in_child(daemon_reports, 0);
	ATF_REQUIRE(WIFEXITED(status));
	ATF_CHECK_EQ(0, WEXITSTATUS(status));
	status = in_child(daemon_reports, ENOENT);
	ATF_REQUIRE(WIFEXITED(status));
	ATF_CHECK_EQ(1, WEXITSTATUS(status));
}

ATF_TC_WITHOUT_HEAD(daemonize_begin_twice_ebusy);
ATF_TC_BODY(daemonize_begin_twice_ebusy, tc)
{
	int status = in_child(daemon_begins_twice, 0);

	ATF_REQUIRE(WIFEXITED(status));
	ATF_CHECK_EQ(0, WEXITSTATUS(status));
}

/* ---- dl_bootstrap ------------------------------------------------------- */

/*
 * Link sets of this program.  The linker defines their bounds only when
 * they are referenced, and they are exported because the program is
 * linked -rdynamic.
 */
static const int fakemod = 11, fakecomp[2] = { 21, 22 };
static const void *const modset[]
    __attribute__((__section__("link_set_modules"), __used__)) =
    { &fakemod };
static const void *const compset[]
    __attribute__((__section__("link_set_rump_components"), __used__)) =
    { &fakecomp[0], &fakecomp[1] };
extern const void *const __start_link_set_modules[];
extern const void *const __stop_link_set_modules[];
extern const void *const __start_link_set_rump_components[];
extern const void *const __stop_link_set_rump_components[];

static const void *const *modinit_start;
static size_t modinit_count;
static int nmodinit;
static const void *comploaded[4];
static int ncompload;

static void
fake_modinit(const void *const *start, size_t count)
{
	modinit_start = start;
	modinit_count = count;
	nmodinit++;
}

static void
fake_compload(const void *comp)
{
	if (ncompload < 4)
		comploaded[ncompload] = comp;
	ncompload++;
}

ATF_TC_WITHOUT_HEAD(dl_bootstrap_finds_link_sets);
ATF_TC_BODY(dl_bootstrap_finds_link_sets, tc)
{
	rumpuser_dl_bootstrap(fake_modinit, NULL, fake_compload);
	ATF_REQUIRE_EQ(1, __stop_link_set_modules - __start_link_set_modules);
	ATF_REQUIRE_EQ(2, __stop_link_set_rump_components -
	    __start_link_set_rump_components);
	ATF_REQUIRE_EQ(1, nmodinit);
	ATF_CHECK_EQ(__start_link_set_modules, modinit_start);
	ATF_CHECK_EQ(1, modinit_count);
	ATF_CHECK_EQ(&fakemod, modinit_start[0]);
	ATF_REQUIRE_EQ(2, ncompload);
	ATF_CHECK_EQ(&fakecomp[0], comploaded[0]);
	ATF_CHECK_EQ(&fakecomp[1], comploaded[1]);
}

ATF_TC_WITHOUT_HEAD(dl_bootstrap_skips_null_callbacks);
ATF_TC_BODY(dl_bootstrap_skips_null_callbacks, tc)
{
	rumpuser_dl_bootstrap(NULL, NULL, NULL);
	rumpuser_dl_bootstrap(fake_modinit, NULL, NULL);
	ATF_CHECK_EQ(1, nmodinit);
	ATF_CHECK_EQ(0, ncompload);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, init_rejects_version_16);
	ATF_TP_ADD_TC(tp, malloc_honours_alignment);
	ATF_TP_ADD_TC(tp, malloc_rejects_non_power_of_two_alignment);
	ATF_TP_ADD_TC(tp, getparam_ncpu_defaults_to_1);
	ATF_TP_ADD_TC(tp, getparam_ncpu_reads_RUMP_NCPU);
	ATF_TP_ADD_TC(tp, getparam_ncpu_passes_value_through);
	ATF_TP_ADD_TC(tp, getparam_hostname_defaults_to_rumpk_pid);
	ATF_TP_ADD_TC(tp, getparam_hostname_reads_RUMP_HOSTNAME);
	ATF_TP_ADD_TC(tp, getparam_reads_environment);
	ATF_TP_ADD_TC(tp, getparam_unset_is_enoent);
	ATF_TP_ADD_TC(tp, getparam_erange_on_small_buffer);
	ATF_TP_ADD_TC(tp, mutex_uncontended_enter_keeps_cpu);
	ATF_TP_ADD_TC(tp, mutex_contended_enter_unschedules);
	ATF_TP_ADD_TC(tp, spin_mutex_contended_enter_keeps_cpu);
	ATF_TP_ADD_TC(tp, mutex_tryenter_ebusy_when_held);
	ATF_TP_ADD_TC(tp, kmutex_owner_tracks_curlwp);
	ATF_TP_ADD_TC(tp, rw_tryupgrade_only_sole_reader);
	ATF_TP_ADD_TC(tp, rw_downgrade_admits_readers);
	ATF_TP_ADD_TC(tp, rw_held_writer_only_for_owning_lwp);
	ATF_TP_ADD_TC(tp, rw_writer_excludes_readers);
	ATF_TP_ADD_TC(tp, rw_waiting_writer_blocks_new_readers);
	ATF_TP_ADD_TC(tp, cv_signal_wakes_waiter);
	ATF_TP_ADD_TC(tp, cv_broadcast_wakes_all_waiters);
	ATF_TP_ADD_TC(tp, cv_wait_nowrap_keeps_cpu);
	ATF_TP_ADD_TC(tp, cv_timedwait_times_out);
	ATF_TP_ADD_TC(tp, clock_sleep_absmono_waits_until);
	ATF_TP_ADD_TC(tp, clock_sleep_relwall_is_relative);
	ATF_TP_ADD_TC(tp, clock_gettime_relwall_is_wall_clock);
	ATF_TP_ADD_TC(tp, clock_unknown_clock_is_einval);
	ATF_TP_ADD_TC(tp, open_excl_fails_on_existing_file);
	ATF_TP_ADD_TC(tp, open_missing_file_is_enoent);
	ATF_TP_ADD_TC(tp, open_accmode_3_is_einval);
	ATF_TP_ADD_TC(tp, open_is_close_on_exec_and_honours_accmode);
	ATF_TP_ADD_TC(tp, iovwrite_iovread_roundtrip);
	ATF_TP_ADD_TC(tp, iovread_bad_fd_is_ebadf);
	ATF_TP_ADD_TC(tp, getfileinfo_reports_size_and_type);
	ATF_TP_ADD_TC(tp, syncfd_syncs_and_reports_errors);
	ATF_TP_ADD_TC(tp, bio_write_then_read_async);
	ATF_TP_ADD_TC(tp, bio_read_past_eof_is_short);
	ATF_TP_ADD_TC(tp, bio_write_to_readonly_fd_reports_ebadf);
	ATF_TP_ADD_TC(tp, thread_create_join);
	ATF_TP_ADD_TC(tp, thread_create_detached_runs);
	ATF_TP_ADD_TC(tp, thread_join_of_running_thread_unschedules);
	ATF_TP_ADD_TC(tp, curlwp_set_clear_and_lwpexit_on_thread_exit);
	ATF_TP_ADD_TC(tp, putchar_writes_whole_lines);
	ATF_TP_ADD_TC(tp, dprintf_writes_to_stderr);
	ATF_TP_ADD_TC(tp, kill_self_raises_signal);
	ATF_TP_ADD_TC(tp, kill_other_process_is_eperm);
	ATF_TP_ADD_TC(tp, getrandom_fills_buffer);
	ATF_TP_ADD_TC(tp, seterrno_sets_errno);
	ATF_TP_ADD_TC(tp, exit_passes_status);
	ATF_TP_ADD_TC(tp, exit_panic_aborts);
	ATF_TP_ADD_TC(tp, daemonize_done_without_begin_einval);
	ATF_TP_ADD_TC(tp, daemonize_parent_exits_with_child_status);
	ATF_TP_ADD_TC(tp, daemonize_begin_twice_ebusy);
	ATF_TP_ADD_TC(tp, dl_bootstrap_finds_link_sets);
	ATF_TP_ADD_TC(tp, dl_bootstrap_skips_null_callbacks);
	return atf_no_error();
}
