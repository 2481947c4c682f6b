# man.mk: the manual pages, docs/man/*.1, *.3 and *.4 (mdoc).
#
# `make man-check` lints every page with mandoc -Tlint and fails on any
# warning or error (style notes such as "referenced manual not found"
# depend on the host's manual database and are not checked).
# `make install-man` installs the pages into $(DESTDIR)$(PREFIX)/share/man
# with a symbolic link for every other name a page documents in its NAME
# section (man3/rump_sys_open.3 -> rump_syscalls.3); `make install` does
# it too.

MANDOC		?= mandoc
MANPAGES	:= $(sort $(wildcard docs/man/*.[134]))
MAN1PAGES	:= $(filter %.1,$(MANPAGES))
MAN3PAGES	:= $(filter %.3,$(MANPAGES))
MAN4PAGES	:= $(filter %.4,$(MANPAGES))
MANDIR_I	:= $(DESTDIR)$(PREFIX)/share/man

man-check:
	@command -v $(MANDOC) >/dev/null 2>&1 || { \
	    echo "man-check: $(MANDOC) not found (apt-get install mandoc)" >&2; \
	    exit 1; }
	$(MANDOC) -Tlint -Wwarning $(MANPAGES)

install-man:
	install -d $(MANDIR_I)/man1 $(MANDIR_I)/man3 $(MANDIR_I)/man4
	install -m 0644 $(MAN1PAGES) $(MANDIR_I)/man1
	install -m 0644 $(MAN3PAGES) $(MANDIR_I)/man3
	install -m 0644 $(MAN4PAGES) $(MANDIR_I)/man4
	@for p in $(MANPAGES); do \
	    f=$${p##*/}; s=$${f##*.}; \
	    for n in $$(sed -n '/^\.Sh NAME/,/^\.Nd/s/^\.Nm \([A-Za-z0-9_.]*\).*/\1/p' $$p); do \
		[ "$$n.$$s" = "$$f" ] || \
		    ln -sf $$f $(MANDIR_I)/man$$s/$$n.$$s || exit 1; \
	    done; \
	done

install: install-man

.PHONY: man-check install-man
