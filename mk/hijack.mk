# hijack.mk: librumphijack (hijack/*.c), the LD_PRELOAD library that
# sends the file calls of unmodified programs to a rump kernel through
# librumpclient, and its wrapper command rump.hijack (hijack/
# rump.hijack.sh, with the library directory filled in: the build
# tree's for $(BUILD)/bin, $(PREFIX)/lib for `make install`).

HIJACK_SRCS	:= $(sort $(wildcard hijack/*.c))
HIJACK_OBJS	:= $(patsubst %.c,$(BUILD)/host/%.o,$(HIJACK_SRCS))
HIJACK_SO	:= $(LIBDIR)/librumphijack.so.$(SOVERSION)
HIJACK_CMD	:= $(BUILD)/bin/rump.hijack
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

install-hijack: $(HIJACK_SO) $(BUILD)/rump.hijack.install
	install -d $(LIBDIR_I) $(BINDIR_I)
	install -m 0755 $(HIJACK_SO) $(LIBDIR_I)
	ln -sf librumphijack.so.$(SOVERSION) $(LIBDIR_I)/librumphijack.so
	install -m 0755 $(BUILD)/rump.hijack.install $(BINDIR_I)/rump.hijack

all: $(LIBDIR)/librumphijack.so $(HIJACK_CMD)
tests: $(LIBDIR)/librumphijack.so $(HIJACK_CMD)
install: install-hijack

.PHONY: install-hijack
