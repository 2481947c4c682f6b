# fuse.mk: rump-fuse (fuse/), which mounts a file system image on the
# host through FUSE with rumpk's driver in the same process.  Needs
# libfuse3 (Debian libfuse3-dev).  The FAT component is dlopen()ed at run
# time when it exists, so it is not linked here.

FUSE_SRCS	:= $(sort $(wildcard fuse/*.c))
FUSE_OBJS	:= $(patsubst %.c,$(BUILD)/host/%.o,$(FUSE_SRCS))
FUSE_CFLAGS	:= $(shell pkg-config --cflags fuse3 2>/dev/null || \
		   echo -I/usr/include/fuse3)
FUSE_LIBS	:= -lrumpfs_ext2 -lrumpfs_tmpfs -lrumpdev_disk -lrumpvfs \
		   -lrump -lrumpuser -lfuse3 -ldl -pthread
DEPS		+= $(FUSE_OBJS:.o=.d)
PROGS		+= $(BUILD)/bin/rump-fuse

$(FUSE_OBJS): HCFLAGS += $(FUSE_CFLAGS)

$(BUILD)/bin/rump-fuse: $(FUSE_OBJS) $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -o $@ $(FUSE_OBJS) $(FUSE_LIBS)

all: $(BUILD)/bin/rump-fuse
tests: $(BUILD)/bin/rump-fuse
