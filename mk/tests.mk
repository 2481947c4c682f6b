# tests.mk: ATF test programs run by kyua.
#
# Every tests/<dir>/t_<name>.c becomes $(BUILD)/tests/<dir>/t_<name>, linked
# with atf-c and the rump libraries in TEST_LIBS (override per program with
# t_<name>_LIBS); helpers shared by a directory's programs live in its
# h_*.h headers.  tests/<dir>/t_<name>.sh become atf-sh programs.  Each
# directory has a Kyuafile listing its programs; tests/Kyuafile includes the
# directories.  `make check` builds all, runs kyua and prints
# "N passed, N failed".

TEST_LIBS	:= -lrumpfs_msdos -lrumpfs_ext2 -lrumpdev_md -lrumpdev_disk \
		   -lrumpfs_tmpfs -lrumpvfs -lrump -lrumpuser
TEST_C		:= $(sort $(wildcard tests/*/t_*.c))
TEST_SH		:= $(sort $(wildcard tests/*/t_*.sh))
TEST_PROGS	:= $(patsubst %.c,$(BUILD)/%,$(TEST_C)) \
		   $(patsubst %.sh,$(BUILD)/%,$(TEST_SH))
TEST_FILES	:= $(patsubst tests/%,$(BUILD)/tests/%, \
		   $(wildcard tests/Kyuafile tests/*/Kyuafile))
DEPS		+= $(patsubst %.c,$(BUILD)/host/%.d,$(TEST_C))

$(BUILD)/tests/%: $(BUILD)/host/tests/%.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -o $@ $< \
	    $(or $($(notdir $@)_LIBS),$(TEST_LIBS)) -latf-c -pthread

$(BUILD)/tests/%: tests/%.sh
	@mkdir -p $(dir $@)
	{ echo '#! /usr/bin/atf-sh'; \
	  echo 'BUILD=$(abspath $(BUILD))'; echo 'SRCDIR=$(CURDIR)'; \
	  cat $<; } > $@ && chmod +x $@

$(BUILD)/tests/%/Kyuafile: tests/%/Kyuafile
	@mkdir -p $(dir $@)
	cp $< $@

$(BUILD)/tests/Kyuafile: tests/Kyuafile
	@mkdir -p $(dir $@)
	cp $< $@

tests: $(LIBS) $(TEST_PROGS) $(TEST_FILES)

# Dependencies first: with -j the prerequisites would race the install.
check: deps-check
	@$(MAKE) --no-print-directory tests
	@sh mk/runtests.sh $(BUILD)

deps-check:
	@sh mk/deps.sh check

deps-build:
	@sh mk/deps.sh build

.PHONY: tests check deps-check deps-build
t_rumpuser_LIBS := -lrumpuser -rdynamic
t_boot_kernonly_LIBS := -lrump -lrumpuser
t_dlopen_LIBS := -lrump -lrumpuser -ldl
