/*
 * h_macros.h: assertion helpers shared by the ATF test programs.
 * Include after <atf-c.h>, <errno.h>, <stdint.h> and <string.h>.
 */
#ifndef _TESTS_H_MACROS_H_
#define _TESTS_H_MACROS_H_

/* x must not return -1; the failure message names x and errno. */
#define RL(x)								\
	ATF_REQUIRE_MSG((x) != -1, "%s: %s", #x, strerror(errno))

/* expr must fail with -1 and errno e. */
#define REQUIRE_ERRNO(expr, e) do {					\
	long rv_;							\
	int errno_;							\
									\
	errno = 0;							\
	rv_ = (long)(expr);						\
	errno_ = errno;							\
	ATF_REQUIRE_MSG(rv_ == -1 && errno_ == (e),			\
	    "%s: expected -1/%s, got %ld/%s", #expr, #e, rv_,		\
	    rv_ == -1 ? strerror(errno_) : "no error");		\
} while (0)

/* Integer equality that prints both values on failure. */
#define REQUIRE_EQ(actual, expected) do {				\
	intmax_t a_ = (intmax_t)(actual);				\
	intmax_t e_ = (intmax_t)(expected);				\
									\
	ATF_REQUIRE_MSG(a_ == e_, "%s is %jd (%#jx), expected %jd"	\
	    " (%#jx)", #actual, a_, a_, e_, e_);			\
} while (0)

/* A rump_pub_* call, which returns 0 or an errno value. */
#define RZ(x) do {							\
	int error_ = (x);						\
									\
	ATF_REQUIRE_MSG(error_ == 0, "%s: %s", #x, strerror(error_));	\
} while (0)

#endif /* _TESTS_H_MACROS_H_ */
