/*
 * sp_wire.h: the sysproxy wire format between rump_server (the sp
 * hypercalls in hypercall/posix) and librumpclient.  Private to those
 * two; versioned by SP_VERSION.
 *
 * A connection carries frames.  Every frame starts with a fixed header
 * (all integers little-endian, explicit sizes, no padding on the wire):
 *
 *	uint32 len	bytes after the header (<= SP_MAXPAYLOAD)
 *	uint16 type	SP_*
 *	uint16 flags	0 (receivers reject others)
 *	uint64 reqno	pairs a reply with its request
 *
 * Flow.  On accept the server sends SP_BANNER.  The client answers with
 * SP_HANDSHAKE (new process, fork-join or exec).  Then the client sends
 * SP_SYSCALL requests, each with a reqno of its choosing unique among its
 * outstanding ones; while one runs, the server may send SP_COPYIN,
 * SP_COPYINSTR, SP_COPYOUT, SP_COPYOUTSTR, SP_ANONMMAP or SP_RAISE
 * requests carrying the SAME reqno (so the client routes them to the
 * thread that made the call) and waits for the client's reply of the
 * matching *_RESP type; the call ends with SP_SYSCALL_RESP.  SP_PREFORK
 * asks the server for a cookie with which a forked child joins as a copy
 * of the process.
 *
 * Limits (server side; a client that breaks one loses its connection):
 * payloads <= SP_MAXPAYLOAD, copies <= SP_MAXCOPY per request,
 * SP_MAXOUTSTANDING syscalls in flight per connection, a banner-to-
 * handshake timeout and an idle-reply timeout of SP_TIMEOUT_MS.
 *
 * Refinements (still version 1, by the sysproxy engineer):
 * - every *_RESP payload starts with i32 error, u32 0 (8 bytes), the
 *   copy replies included; a reply with error != 0 carries nothing more.
 * - SP_HANDSHAKE of kind SP_HS_EXEC is sent on an established
 *   connection (the descriptor survives exec) and is answered with
 *   SP_HANDSHAKE_RESP; no banner precedes it.
 * - a SP_SYSCALL beyond SP_MAXOUTSTANDING in flight is answered at
 *   once with error EAGAIN; a reqno already in flight, an unknown type,
 *   a reply nobody waits for or a bad length drops the connection.
 * - SP_PREFORK's cookie is claimed by one SP_HS_FORK within
 *   SP_TIMEOUT_MS, else the prepared child process is released.
 * - the sp_put and sp_get helpers below encode little-endian values.
 */
#ifndef _SP_WIRE_H_
#define _SP_WIRE_H_

#include <stdint.h>

#define SP_VERSION		1
#define SP_MAGIC		"rumpk-sp"	/* 8 bytes, no NUL */
#define SP_HDRLEN		16
#define SP_MAXPAYLOAD		(1024 * 1024 + 64)
#define SP_MAXCOPY		(1024 * 1024)
#define SP_MAXOUTSTANDING	64
#define SP_MAXARGS		6
#define SP_TIMEOUT_MS		30000

enum sp_type {
	SP_BANNER = 1,		/* server: magic[8], u32 version,
				   then NUL-terminated "ostype osrelease
				   machine" (<= 256 bytes) */
	SP_HANDSHAKE,		/* client: u32 kind (SP_HS_*), u32 pid
				   (host pid, informational), then for
				   SP_HS_NEW: comm (NUL-terminated, <= 16);
				   SP_HS_FORK: u64 cookie[2];
				   SP_HS_EXEC: comm */
	SP_HANDSHAKE_RESP,	/* server: i32 error (0 or errno) */
	SP_SYSCALL,		/* client: i32 num, u32 nargs (<= 6),
				   i64 args[nargs] */
	SP_SYSCALL_RESP,	/* server: i32 error, u32 0, i64 retval */
	SP_COPYIN,		/* server: u64 addr, u64 len */
	SP_COPYIN_RESP,		/* client: i32 error, u32 0, data[len] */
	SP_COPYINSTR,		/* server: u64 addr, u64 maxlen */
	SP_COPYINSTR_RESP,	/* client: i32 error, u32 0, string incl.
				   NUL (error ENAMETOOLONG if none within
				   maxlen) */
	SP_COPYOUT,		/* server: u64 addr, data[] */
	SP_COPYOUT_RESP,	/* client: i32 error, u32 0 */
	SP_COPYOUTSTR,		/* server: u64 addr, string incl. NUL */
	SP_COPYOUTSTR_RESP,	/* client: i32 error, u32 0 */
	SP_ANONMMAP,		/* server: u64 len */
	SP_ANONMMAP_RESP,	/* client: i32 error, u32 0, u64 addr */
	SP_RAISE,		/* server: i32 signo, u32 0 (no reply) */
	SP_PREFORK,		/* client: nothing */
	SP_PREFORK_RESP,	/* server: i32 error, u32 0, u64 cookie[2] */
	SP__MAX
};

enum sp_handshake_kind {
	SP_HS_NEW = 1,		/* a new process */
	SP_HS_FORK,		/* join as the child of a SP_PREFORK */
	SP_HS_EXEC		/* same process, new program name */
};

struct sp_hdr {
	uint32_t	len;
	uint16_t	type;
	uint16_t	flags;
	uint64_t	reqno;
};

#define SP_COMMLEN		16	/* comm in a handshake, with NUL */
#define SP_BANNERMAX		256	/* banner text, with NUL */

static inline void
sp_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static inline void
sp_put64(unsigned char *p, uint64_t v)
{
	sp_put32(p, (uint32_t)v);
	sp_put32(p + 4, (uint32_t)(v >> 32));
}

static inline uint32_t
sp_get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static inline uint64_t
sp_get64(const unsigned char *p)
{
	return (uint64_t)sp_get32(p) | (uint64_t)sp_get32(p + 4) << 32;
}

/* Header to and from its wire form (SP_HDRLEN bytes). */
static inline void
sp_hdr_put(unsigned char *p, uint32_t len, uint16_t type, uint64_t reqno)
{
	sp_put32(p, len);
	p[4] = (unsigned char)type;
	p[5] = (unsigned char)(type >> 8);
	p[6] = 0;
	p[7] = 0;
	sp_put64(p + 8, reqno);
}

static inline void
sp_hdr_get(const unsigned char *p, struct sp_hdr *h)
{
	h->len = sp_get32(p);
	h->type = (uint16_t)(p[4] | p[5] << 8);
	h->flags = (uint16_t)(p[6] | p[7] << 8);
	h->reqno = sp_get64(p + 8);
}

#endif /* _SP_WIRE_H_ */
