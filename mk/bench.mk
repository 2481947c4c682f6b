# bench.mk: `make bench` builds the benchmark programs into $(BUILD)/bench
# and runs rumpk-bench, which prints a table of rumpk/host ratios and
# the ext2 and FAT sections (bench/bench_ext2.c, bench/bench_msdos.c:
# images in $(BUILD)/bench).
# boot-kern and boot-tmpfs are one source (bench/boot_child.c) linked
# two ways: only the base kernel, or with vfs and tmpfs.
# bench/bench_fuse.sh then puts rump-fuse beside fuse2fs (fuse-ops times
# the metadata work); bench/bench_hijack.sh runs cp and ls -l under
# librumphijack beside the host.

BENCH_DIR	:= $(BUILD)/bench
BENCH_SRCS	:= bench/rumpk-bench.c bench/bench_boot.c bench/bench_sys.c \
		   bench/bench_remote.c bench/bench_util.c bench/bench_ext2.c \
		   bench/bench_msdos.c bench/bench_img.c
BENCH_OBJS	:= $(patsubst %.c,$(BUILD)/host/%.o,$(BENCH_SRCS))
BENCH_PROGS	:= $(BENCH_DIR)/rumpk-bench $(BENCH_DIR)/boot-kern \
		   $(BENCH_DIR)/boot-tmpfs $(BENCH_DIR)/remote-client \
		   $(BENCH_DIR)/fuse-ops
BENCH_FSLIBS	:= -lrumpfs_tmpfs -lrumpvfs -lrump -lrumpuser
BENCH_EXT2LIBS	:= -lrumpfs_msdos -lrumpfs_ext2 -lrumpdev_disk
DEPS		+= $(BENCH_OBJS:.o=.d) $(BUILD)/host/bench/boot_child.d \
		   $(BUILD)/host/bench/remote_client.d \
		   $(BUILD)/host/bench/boot_child_tmpfs.d

$(BENCH_DIR)/rumpk-bench: $(BENCH_OBJS) $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -o $@ $(BENCH_OBJS) $(BENCH_EXT2LIBS) \
	    $(BENCH_FSLIBS) -pthread

$(BENCH_DIR)/boot-kern: $(BUILD)/host/bench/boot_child.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -o $@ $< -lrump -lrumpuser

$(BUILD)/host/bench/boot_child_tmpfs.o: bench/boot_child.c
	@mkdir -p $(dir $@)
	$(CC) $(HCFLAGS) -DBOOT_TMPFS -MMD -MP -c $< -o $@

$(BENCH_DIR)/boot-tmpfs: $(BUILD)/host/bench/boot_child_tmpfs.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -o $@ $< $(BENCH_FSLIBS)

# remote-client: the librumpclient half of bench_remote.c's rows.
$(BENCH_DIR)/remote-client: $(BUILD)/host/bench/remote_client.o \
    $(BUILD)/host/bench/bench_util.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -o $@ $(filter %.o,$^) -lrumpclient -pthread

$(BENCH_DIR)/fuse-ops: $(BUILD)/host/bench/fuse_ops.o
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -o $@ $<

bench-progs: $(LIBS) $(PROGS) $(BENCH_PROGS) $(LIBDIR)/librumphijack.so

bench: deps-build
	@$(MAKE) --no-print-directory bench-progs
	$(BENCH_DIR)/rumpk-bench
	sh bench/bench_fuse.sh $(BUILD)
	sh bench/bench_hijack.sh $(BUILD)

.PHONY: bench bench-progs
