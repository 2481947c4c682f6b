# remote.mk: remote clients.  rump_server (server/) hosts a kernel for
# clients; tools/NAME.c become the client programs rump.NAME.
# What the tools share (tools/lib/) is the archive librumptool.a, linked
# into every rump.NAME; the shell scripts tools/rumpsh and tools/rump.env
# are copied beside them.
# librumpclient (client/, the hcomponent in the Makefile) gets its
# rump_sys_* from kernel/kern/rump_syscalls.c compiled a second time with
# -DRUMPCLIENT and without the rumpns_ renaming.  tests/rumpclient needs
# the helper programs h_exec and h_interpose.

SERVER_LIBS	:= -lrumpvfs -lrump -lrumpuser -ldl
TOOL_SRCS	:= $(wildcard tools/*.c)
TOOLS		:= $(patsubst tools/%.c,$(BUILD)/bin/rump.%,$(TOOL_SRCS))
TOOL_SCRIPTS	:= $(BUILD)/bin/rumpsh $(BUILD)/bin/rump.env
TOOLLIB_SRCS	:= $(wildcard tools/lib/*.c)
TOOLLIB_OBJS	:= $(patsubst %.c,$(BUILD)/host/%.o,$(TOOLLIB_SRCS))
TOOLLIB		:= $(BUILD)/host/tools/lib/librumptool.a
PROGS		:= $(BUILD)/bin/rump_server $(TOOLS) $(TOOL_SCRIPTS)
RC_SYSCALLS	:= $(BUILD)/client/rump_syscalls.o
DEPS		+= $(RC_SYSCALLS:.o=.d) $(BUILD)/host/server/rump_server.d \
		   $(BUILD)/host/tests/rumpclient/h_exec.d \
		   $(BUILD)/host/tests/rumpclient/h_interpose.d \
		   $(patsubst tools/%.c,$(BUILD)/host/tools/%.d,$(TOOL_SRCS)) \
		   $(TOOLLIB_OBJS:.o=.d)

$(RC_SYSCALLS): kernel/kern/rump_syscalls.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -DRUMPCLIENT -MMD -MP -c $< -o $@

rumpclient_OBJS += $(RC_SYSCALLS)
$(LIBDIR)/librumpclient.so.$(SOVERSION) $(LIBDIR)/librumpclient.a: \
    $(RC_SYSCALLS)

$(BUILD)/bin/rump_server: $(BUILD)/host/server/rump_server.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -o $@ $< $(SERVER_LIBS) -pthread

$(TOOLLIB): $(TOOLLIB_OBJS)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/bin/rump.%: $(BUILD)/host/tools/%.o $(TOOLLIB) $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -o $@ $< $(TOOLLIB) -lrumpclient -pthread

$(BUILD)/bin/rumpsh $(BUILD)/bin/rump.env: $(BUILD)/bin/%: tools/%
	@mkdir -p $(dir $@)
	cp $< $@ && chmod 0755 $@

$(BUILD)/tests/rumpclient/h_exec: $(BUILD)/host/tests/rumpclient/h_exec.o \
    $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -o $@ $< -lrumpclient -pthread

$(BUILD)/tests/rumpclient/h_interpose: \
    $(BUILD)/host/tests/rumpclient/h_interpose.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -o $@ $< -lrumpclient -pthread

# The tools' objects are not intermediate files: keep them between builds.
.SECONDARY: $(patsubst tools/%.c,$(BUILD)/host/tools/%.o,$(TOOL_SRCS))

all: $(PROGS)
tests: $(PROGS) $(BUILD)/tests/rumpclient/h_exec \
    $(BUILD)/tests/rumpclient/h_interpose

t_rumpclient_LIBS := -lrumpclient
t_hostile_LIBS := -lrumpclient
t_hostfd_LIBS := -lrumpclient
t_clientdeath_LIBS := -lrumpclient
