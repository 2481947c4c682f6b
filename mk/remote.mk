# remote.mk: remote clients.  rump_server (server/) hosts a kernel for
# clients; tools/NAME.c become the client programs rump.NAME.
# librumpclient (client/, the hcomponent in the Makefile) gets its
# rump_sys_* from kernel/kern/rump_syscalls.c compiled a second time with
# -DRUMPCLIENT and without the rumpns_ renaming.  tests/rumpclient needs
# the helper program h_exec.

SERVER_LIBS	:= -lrumpvfs -lrump -lrumpuser -ldl
TOOL_SRCS	:= $(wildcard tools/*.c)
TOOLS		:= $(patsubst tools/%.c,$(BUILD)/bin/rump.%,$(TOOL_SRCS))
PROGS		:= $(BUILD)/bin/rump_server $(TOOLS)
RC_SYSCALLS	:= $(BUILD)/client/rump_syscalls.o
DEPS		+= $(RC_SYSCALLS:.o=.d) $(BUILD)/host/server/rump_server.d \
		   $(BUILD)/host/tests/rumpclient/h_exec.d \
		   $(patsubst tools/%.c,$(BUILD)/host/tools/%.d,$(TOOL_SRCS))

$(RC_SYSCALLS): kernel/kern/rump_syscalls.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -DRUMPCLIENT -MMD -MP -c $< -o $@

rumpclient_OBJS += $(RC_SYSCALLS)
$(LIBDIR)/librumpclient.so.$(SOVERSION) $(LIBDIR)/librumpclient.a: \
    $(RC_SYSCALLS)

$(BUILD)/bin/rump_server: $(BUILD)/host/server/rump_server.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -o $@ $< $(SERVER_LIBS) -pthread

$(BUILD)/bin/rump.%: $(BUILD)/host/tools/%.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -o $@ $< -lrumpclient -pthread

$(BUILD)/tests/rumpclient/h_exec: $(BUILD)/host/tests/rumpclient/h_exec.o \
    $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -o $@ $< -lrumpclient -pthread

all: $(PROGS)
tests: $(PROGS) $(BUILD)/tests/rumpclient/h_exec

t_rumpclient_LIBS := -lrumpclient
t_hostile_LIBS := -lrumpclient
