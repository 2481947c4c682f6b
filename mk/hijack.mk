# hijack.mk: librumphijack (hijack/*.c), the LD_PRELOAD library that
# sends the file calls of unmodified programs to a rump kernel through
# librumpclient, and its wrapper command rump.hijack (hijack/
# rump.hijack.sh, with the library directory filled in: the build
# tree's for $(BUILD)/bin, $(PREFIX)/lib for `make install`), and the
# disk-image wrapper rump-img (hijack/rump-img.sh, with the directory of
# rump_server, rump.mount, rump.hijack... filled in the same way).

HIJACK_SRCS	:= $(sort $(wildcard hijack/*.c))
HIJACK_OBJS	:= $(patsubst %.c,$(BUILD)/host/%.o,$(HIJACK_SRCS))
HIJACK_SO	:= $(LIBDIR)/librumphijack.so.$(SOVERSION)
HIJACK_CMD	:= $(BUILD)/bin/rump.hijack
IMG_CMD		:= $(BUILD)/bin/rump-img
DEPS		+= $(HIJACK_OBJS:.o=.d)

$(HIJACK_SO): $(HIJACK_OBJS) $(LIBDIR)/librumpclient.so
	@mkdir -p $(dir $@)
	$(CC) -shared $(SANFLAGS) $(LDDEFS) \
	    -Wl,-soname,librumphijack.so.$(SOVERSION) -o $@ $(HIJACK_OBJS) \
	    -L$(LIBDIR) -Wl,-rpath,'$$ORIGIN' -lrumpclient -ldl -pthread

$(LIBDIR)/librumphijack.so: $(HIJACK_SO)
	ln -sf librumphijack.so.$(SOVERSION) $@

$(HIJACK_CMD): hijack/rump.hijack.sh
	@mkdir -p $(dir $@)
	sed -e 's|@LIBDIR@|$(ABSLIBDIR)|' $< > $@ && chmod +x $@

$(BUILD)/rump.hijack.install: hijack/rump.hijack.sh
	@mkdir -p $(dir $@)
	sed -e 's|@LIBDIR@|$(PREFIX)/lib|' $< > $@

$(IMG_CMD): hijack/rump-img.sh
	@mkdir -p $(dir $@)
	sed -e 's|@BINDIR@|$(abspath $(BUILD)/bin)|' $< > $@ && chmod +x $@

$(BUILD)/rump-img.install: hijack/rump-img.sh
	@mkdir -p $(dir $@)
	sed -e 's|@BINDIR@|$(PREFIX)/bin|' $< > $@

install-hijack: $(HIJACK_SO) $(BUILD)/rump.hijack.install \
    $(BUILD)/rump-img.install
	install -d $(LIBDIR_I) $(BINDIR_I)
	install -m 0755 $(HIJACK_SO) $(LIBDIR_I)
	ln -sf librumphijack.so.$(SOVERSION) $(LIBDIR_I)/librumphijack.so
	install -m 0755 $(BUILD)/rump.hijack.install $(BINDIR_I)/rump.hijack
	install -m 0755 $(BUILD)/rump-img.install $(BINDIR_I)/rump-img

all: $(LIBDIR)/librumphijack.so $(HIJACK_CMD) $(IMG_CMD)
tests: $(LIBDIR)/librumphijack.so $(HIJACK_CMD) $(IMG_CMD)
install: install-hijack

.PHONY: install-hijack
