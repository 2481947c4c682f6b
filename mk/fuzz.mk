# fuzz.mk: `make fuzz` builds the libFuzzer target fuzz_ext2 with clang,
# ASan and UBSan, the kernel instrumented for coverage, all in its own
# tree $(FUZZ_BUILD); `make fuzz-run FUZZ_SECONDS=n` runs it for n
# seconds on the seed corpus (fuzz/mkcorpus.sh) plus what it finds.
# Crashes are written to $(FUZZ_BUILD)/fuzz/crashes; the kernel console
# (stderr) is closed while fuzzing: run fuzz_ext2 on a crash file to see it.

FUZZ_BUILD	?= build-fuzz
FUZZ_SECONDS	?= 60
FUZZ_DIR	:= $(FUZZ_BUILD)/fuzz
FUZZ_MAKE	:= $(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang \
		   SANITIZE=address,undefined CFLAGS=-fsanitize=fuzzer-no-link
FUZZ_LIBS	:= -lrumpfs_ext2 -lrumpdev_md -lrumpdev_disk -lrumpvfs \
		   -lrump -lrumpuser
DEPS		+= $(BUILD)/host/fuzz/fuzz_ext2.d

$(BUILD)/fuzz/fuzz_ext2: $(BUILD)/host/fuzz/fuzz_ext2.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIBS) -pthread

$(BUILD)/fuzz/corpus.stamp: fuzz/mkcorpus.sh
	sh fuzz/mkcorpus.sh $(BUILD)/fuzz/seeds
	@touch $@

fuzz-progs: $(BUILD)/fuzz/fuzz_ext2 $(BUILD)/fuzz/corpus.stamp

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
	@mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/crashes
	cd $(FUZZ_DIR) && ./fuzz_ext2 \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -max_len=65536 -print_final_stats=1 -close_fd_mask=2 \
	    -artifact_prefix=crashes/ corpus seeds

.PHONY: fuzz fuzz-run fuzz-progs
