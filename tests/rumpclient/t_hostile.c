/*
 * t_hostile.c: clients that break the sysproxy protocol lose their own
 * connection, and only theirs: garbage, oversized and truncated frames,
 * replies nobody asked for, and a client that never answers the
 * server's copy request (the server's timeout is shortened through
 * RUMPUSER_SP_TIMEOUT_MS).  A well-behaved client keeps working.
 */
#include <poll.h>
#include <sys/time.h>

#include "h_rc.h"
#include "../../hypercall/posix/sp_wire.h"

#define TIMEOUT_MS	"500"

static pid_t
hostile_server(void)
{
	ATF_REQUIRE_EQ(setenv("RUMPUSER_SP_TIMEOUT_MS", TIMEOUT_MS, 1), 0);
	return server_start(NULL);
}

static void
readall(int fd, void *buf, size_t len)
{
	ATF_REQUIRE_EQ(recv(fd, buf, len, MSG_WAITALL), (ssize_t)len);
}

static void
sendframe(int fd, int type, uint64_t reqno, const void *p, size_t len)
{
	unsigned char hdr[SP_HDRLEN];

	sp_hdr_put(hdr, (uint32_t)len, (uint16_t)type, reqno);
	ATF_REQUIRE_EQ(send(fd, hdr, sizeof(hdr), MSG_NOSIGNAL),
	    (ssize_t)sizeof(hdr));
	if (len > 0)
		ATF_REQUIRE_EQ(send(fd, p, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* Read one frame's header and payload (at most len bytes). */
static struct sp_hdr
readframe(int fd, void *buf, size_t len)
{
	unsigned char raw[SP_HDRLEN];
	struct sp_hdr h;

	readall(fd, raw, sizeof(raw));
	sp_hdr_get(raw, &h);
	ATF_REQUIRE(h.len <= len);
	readall(fd, buf, h.len);
	return h;
}

/* A raw connection, banner read; with a completed handshake if asked. */
static int
raw_connect(bool handshake)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	unsigned char buf[512];
	struct sp_hdr h;
	int fd;

	strcpy(sun.sun_path, SOCKNAME);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	h = readframe(fd, buf, sizeof(buf));
	ATF_REQUIRE_EQ(h.type, SP_BANNER);
	ATF_REQUIRE_EQ(memcmp(buf, SP_MAGIC, 8), 0);
	if (!handshake)
		return fd;
	memset(buf, 0, 16);
	sp_put32(buf, SP_HS_NEW);
	strcpy((char *)buf + 8, "hostile");
	sendframe(fd, SP_HANDSHAKE, 0, buf, 16);
	h = readframe(fd, buf, sizeof(buf));
	ATF_REQUIRE_EQ(h.type, SP_HANDSHAKE_RESP);
	ATF_REQUIRE_EQ(sp_get32(buf), 0);
	return fd;
}

/* The server closes fd within a few seconds. */
static void
dropped(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[256];
	ssize_t n;

	do {
		ATF_REQUIRE_MSG(poll(&pfd, 1, 5000) == 1,
		    "connection not dropped");
		n = recv(fd, buf, sizeof(buf), 0);
	} while (n > 0);
	ATF_REQUIRE(n == 0 || errno == ECONNRESET);
	close(fd);
}

/* A normal client still gets service. */
static void
others_served(void)
{
	ATF_REQUIRE_EQ(rumpclient_init(), 0);
	ATF_REQUIRE(rump_sys_getpid() > 1);
}

ATF_TC_WITHOUT_HEAD(garbage_drops_connection);
ATF_TC_BODY(garbage_drops_connection, tc)
{
	unsigned char junk[64];
	size_t i;
	int fd;

	hostile_server();
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 37 + 11);
	fd = raw_connect(false);
	ATF_REQUIRE_EQ(send(fd, junk, sizeof(junk), MSG_NOSIGNAL),
	    (ssize_t)sizeof(junk));
	dropped(fd);
	fd = raw_connect(true);
	ATF_REQUIRE_EQ(send(fd, junk, sizeof(junk), MSG_NOSIGNAL),
	    (ssize_t)sizeof(junk));
	dropped(fd);
	others_served();
}

ATF_TC_WITHOUT_HEAD(oversized_frame_drops_connection);
ATF_TC_BODY(oversized_frame_drops_connection, tc)
{
	unsigned char hdr[SP_HDRLEN];
	int fd;

	hostile_server();
	fd = raw_connect(true);
	sp_hdr_put(hdr, 0xffffffffu, SP_SYSCALL, 1);
	ATF_REQUIRE_EQ(send(fd, hdr, sizeof(hdr), MSG_NOSIGNAL),
	    (ssize_t)sizeof(hdr));
	dropped(fd);
	/* a syscall frame with too many arguments */
	fd = raw_connect(true);
	sendframe(fd, SP_SYSCALL, 1, (unsigned char[8]){ 39, 0, 0, 0, 7 }, 8);
	dropped(fd);
	others_served();
}

ATF_TC_WITHOUT_HEAD(truncated_frame_times_out);
ATF_TC_BODY(truncated_frame_times_out, tc)
{
	unsigned char hdr[SP_HDRLEN], part[10] = { 0 };
	int fd;

	hostile_server();
	fd = raw_connect(true);
	sp_hdr_put(hdr, 8 + 8 * 3, SP_SYSCALL, 1);
	ATF_REQUIRE_EQ(send(fd, hdr, sizeof(hdr), MSG_NOSIGNAL),
	    (ssize_t)sizeof(hdr));
	ATF_REQUIRE_EQ(send(fd, part, sizeof(part), MSG_NOSIGNAL),
	    (ssize_t)sizeof(part));
	others_served();
	dropped(fd);
	ATF_REQUIRE(rump_sys_getpid() > 1);
}

ATF_TC_WITHOUT_HEAD(unsolicited_reply_drops_connection);
ATF_TC_BODY(unsolicited_reply_drops_connection, tc)
{
	int fd;

	hostile_server();
	fd = raw_connect(true);
	sendframe(fd, SP_COPYOUT_RESP, 99, (unsigned char[8]){ 0 }, 8);
	dropped(fd);
	others_served();
}

/* mkdir(path) makes the server ask for the path (at an address not
 * mapped here, so it cannot read it directly); we never answer. */
ATF_TC_WITHOUT_HEAD(silent_client_times_out);
ATF_TC_BODY(silent_client_times_out, tc)
{
	unsigned char req[16], buf[64];
	struct sp_hdr h;
	int fd;

	hostile_server();
	fd = raw_connect(true);
	sp_put32(req, 83);		/* mkdir */
	sp_put32(req + 4, 1);
	sp_put64(req + 8, 0x10000);
	sendframe(fd, SP_SYSCALL, 7, req, sizeof(req));
	h = readframe(fd, buf, sizeof(buf));
	ATF_REQUIRE_EQ(h.type, SP_COPYINSTR);
	ATF_REQUIRE_EQ(h.reqno, 7);
	others_served();
	ATF_REQUIRE_EQ(rump_sys_mkdir("/served", 0755), 0);
	dropped(fd);
	ATF_REQUIRE_EQ(rump_sys_rmdir("/served"), 0);
}

ATF_TC_WITHOUT_HEAD(silent_before_handshake_times_out);
ATF_TC_BODY(silent_before_handshake_times_out, tc)
{
	hostile_server();
	others_served();
	dropped(raw_connect(false));
	ATF_REQUIRE(rump_sys_getpid() > 1);
}

/* Requests keep coming but replies are never read: the server's sends
 * time out and the connection goes. */
ATF_TC_WITHOUT_HEAD(client_that_stops_reading_is_dropped);
ATF_TC_BODY(client_that_stops_reading_is_dropped, tc)
{
	struct timeval tv = { .tv_sec = 3 };
	unsigned char frame[SP_HDRLEN + 8];
	uint64_t reqno;
	int fd;

	hostile_server();
	fd = raw_connect(true);
	ATF_REQUIRE_EQ(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv,
	    sizeof(tv)), 0);
	sp_put32(frame + SP_HDRLEN, 39);	/* getpid */
	sp_put32(frame + SP_HDRLEN + 4, 0);
	/* until the server stops reading us, or drops us */
	for (reqno = 1; reqno < 10000000; reqno++) {
		sp_hdr_put(frame, 8, SP_SYSCALL, reqno);
		if (send(fd, frame, sizeof(frame), MSG_NOSIGNAL) !=
		    (ssize_t)sizeof(frame))
			break;
	}
	ATF_REQUIRE(reqno < 10000000);
	others_served();
	dropped(fd);
	ATF_REQUIRE(rump_sys_getpid() > 1);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, garbage_drops_connection);
	ATF_TP_ADD_TC(tp, oversized_frame_drops_connection);
	ATF_TP_ADD_TC(tp, truncated_frame_times_out);
	ATF_TP_ADD_TC(tp, unsolicited_reply_drops_connection);
	ATF_TP_ADD_TC(tp, silent_client_times_out);
	ATF_TP_ADD_TC(tp, silent_before_handshake_times_out);
	ATF_TP_ADD_TC(tp, client_that_stops_reading_is_dropped);
	return atf_no_error();
}
