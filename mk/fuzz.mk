# fuzz.mk: `make fuzz` builds the libFuzzer targets fuzz_ext2,
# fuzz_msdos (the disk file systems) and fuzz_sp (the sysproxy server's
# frame parser) with clang, ASan and UBSan, the kernel and hypercalls
# instrumented for coverage, all in its own tree $(FUZZ_BUILD); `make
# fuzz-run FUZZ_SECONDS=n` runs each for n seconds on its seed corpus
# (fuzz/mkcorpus*.sh) plus what it finds.  Crashes are written to
# $(FUZZ_BUILD)/fuzz/crashes (prefixed msdos- and sp- for those
# targets); the kernel console (stderr) is closed while fuzzing: run the
# target on a crash file to see it.

FUZZ_BUILD	?= build-fuzz
FUZZ_SECONDS	?= 60
FUZZ_DIR	:= $(FUZZ_BUILD)/fuzz
FUZZ_MAKE	:= $(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang \
		   SANITIZE=address,undefined CFLAGS=-fsanitize=fuzzer-no-link
FUZZ_LIBS	:= -lrumpdev_md -lrumpdev_disk -lrumpvfs -lrump -lrumpuser
FUZZ_FLAGS	:= -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		   -rss_limit_mb=2048 -print_final_stats=1 -close_fd_mask=2
DEPS		+= $(BUILD)/host/fuzz/fuzz_ext2.d \
		   $(BUILD)/host/fuzz/fuzz_msdos.d \
		   $(BUILD)/host/fuzz/fuzz_walk.d $(BUILD)/host/fuzz/fuzz_sp.d

# fuzz_<fs> links librumpfs_<fs> and the shared walk in fuzz_walk.c.
$(BUILD)/fuzz/fuzz_%: $(BUILD)/host/fuzz/fuzz_%.o \
	    $(BUILD)/host/fuzz/fuzz_walk.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -fsanitize=fuzzer -o $@ $< \
	    $(BUILD)/host/fuzz/fuzz_walk.o -lrumpfs_$* \
	    $(FUZZ_LIBS) -pthread

# fuzz_sp is a client of a kernel in its own process.
$(BUILD)/fuzz/fuzz_sp: $(BUILD)/host/fuzz/fuzz_sp.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -fsanitize=fuzzer -o $@ $< -lrumpvfs -lrump \
	    -lrumpuser -pthread

$(BUILD)/fuzz/corpus_sp.stamp: fuzz/mkcorpus_sp.sh
	sh fuzz/mkcorpus_sp.sh $(BUILD)/fuzz/seeds_sp
	@touch $@

$(BUILD)/fuzz/corpus.stamp: fuzz/mkcorpus.sh
	sh fuzz/mkcorpus.sh $(BUILD)/fuzz/seeds
	@touch $@

$(BUILD)/fuzz/corpus_msdos.stamp: fuzz/mkcorpus_msdos.sh
	sh fuzz/mkcorpus_msdos.sh $(BUILD)/fuzz/seeds_msdos
	@touch $@

fuzz-progs: $(BUILD)/fuzz/fuzz_ext2 $(BUILD)/fuzz/corpus.stamp \
	    $(BUILD)/fuzz/fuzz_msdos $(BUILD)/fuzz/corpus_msdos.stamp \
	    $(BUILD)/fuzz/fuzz_sp $(BUILD)/fuzz/corpus_sp.stamp

FUZZ_PROBE	:= int LLVMFuzzerTestOneInput(const char *d, long n) \
		   { return 0; }

fuzz: deps-build
	@echo '$(FUZZ_PROBE)' | clang -fsanitize=fuzzer -x c - \
	    -o $(FUZZ_BUILD)-probe 2>/dev/null || { echo "fuzz: clang with" \
	    "libFuzzer needed (apt-get install clang libclang-rt-14-dev)" \
	    >&2; exit 1; }
	@rm -f $(FUZZ_BUILD)-probe
	@$(FUZZ_MAKE) fuzz-progs

fuzz-run: fuzz
	@mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/corpus_msdos \
	    $(FUZZ_DIR)/corpus_sp $(FUZZ_DIR)/crashes
	cd $(FUZZ_DIR) && ./fuzz_ext2 $(FUZZ_FLAGS) -max_len=65536 \
	    -artifact_prefix=crashes/ corpus seeds
	cd $(FUZZ_DIR) && ./fuzz_msdos $(FUZZ_FLAGS) -max_len=131072 \
	    -artifact_prefix=crashes/msdos- corpus_msdos seeds_msdos
	cd $(FUZZ_DIR) && ./fuzz_sp $(FUZZ_FLAGS) -max_len=4096 \
	    -artifact_prefix=crashes/sp- corpus_sp seeds_sp

.PHONY: fuzz fuzz-run fuzz-progs
