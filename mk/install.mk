# install.mk: `make install PREFIX=... DESTDIR=...` installs the public
# headers, the component libraries (shared with soname links, and static),
# librumpclient, the programs (rump_server, rump.*) and the pkg-config
# file rump.pc.

INCDIR_I	:= $(DESTDIR)$(PREFIX)/include/rump
LIBDIR_I	:= $(DESTDIR)$(PREFIX)/lib
PCDIR_I		:= $(LIBDIR_I)/pkgconfig
BINDIR_I	:= $(DESTDIR)$(PREFIX)/bin
PUBHDRS		:= $(wildcard include/rump/*.h)

$(BUILD)/rump.pc: mk/rump.pc.in
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' $< > $@

install: all $(BUILD)/rump.pc
	install -d $(INCDIR_I) $(LIBDIR_I) $(PCDIR_I) $(BINDIR_I)
	install -m 0644 $(PUBHDRS) $(INCDIR_I)
	for l in $(KLIBS) rumpuser rumpclient; do \
	    install -m 0755 $(LIBDIR)/lib$$l.so.$(SOVERSION) $(LIBDIR_I); \
	    ln -sf lib$$l.so.$(SOVERSION) $(LIBDIR_I)/lib$$l.so; \
	    install -m 0644 $(LIBDIR)/lib$$l.a $(LIBDIR_I); \
	done
	install -m 0644 $(BUILD)/rump.pc $(PCDIR_I)
	install -m 0755 $(PROGS) $(BINDIR_I)

.PHONY: install
