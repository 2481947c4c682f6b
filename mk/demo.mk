# demo.mk: `make demo` builds demo/rumpk-demo into $(BUILD)/demo and runs
# it: a narrated session with a rump kernel (tmpfs, etfs, processes).

DEMO_LIBS	:= -lrumpfs_tmpfs -lrumpvfs -lrump -lrumpuser
DEPS		+= $(BUILD)/host/demo/rumpk-demo.d

$(BUILD)/demo/rumpk-demo: $(BUILD)/host/demo/rumpk-demo.o $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(HLDFLAGS) -o $@ $< $(DEMO_LIBS) -pthread

demo: deps-build
	@$(MAKE) --no-print-directory $(BUILD)/demo/rumpk-demo
	$(BUILD)/demo/rumpk-demo

.PHONY: demo
