# rumpk: top-level, non-recursive makefile.  Everything is built out of
# tree in $(BUILD).  Each kernel component is one directory set that
# becomes one shared library (with soname) and one static archive.

BUILD		?= build
PREFIX		?= /usr/local
DESTDIR		?=
CC		?= cc
NM		?= nm
OBJCOPY		?= objcopy
AR		?= ar
SANITIZE	?=
DIAGNOSTIC	?= 1
SOVERSION	:= 0
VERSION		:= 0.1.0

LIBDIR		:= $(BUILD)/lib
ABSLIBDIR	:= $(abspath $(LIBDIR))

WARN		:= -Wall -Wextra -Werror -Wno-unused-parameter \
		   -Wmissing-prototypes -Wstrict-prototypes -Wshadow
OPT		:= -O2 -g
SANFLAGS	:= $(if $(SANITIZE),-fsanitize=$(SANITIZE) \
		   -fno-omit-frame-pointer -fno-sanitize-recover=all)
BASECFLAGS	:= -std=c11 $(OPT) $(WARN) -fPIC $(SANFLAGS) $(CFLAGS)

# The kernel: freestanding, no host headers, no libc.
KCFLAGS		:= $(BASECFLAGS) -ffreestanding -nostdinc -fno-builtin \
		   -fno-stack-protector -fno-common -D_KERNEL \
		   $(if $(filter 1,$(DIAGNOSTIC)),-DDIAGNOSTIC) \
		   $(if $(SANITIZE),-DKMEM_DIRECT) \
		   -Ikernel -Iinclude
# Host code: hypercalls, clients, tools, tests.
HCFLAGS		:= $(BASECFLAGS) -D_GNU_SOURCE -Iinclude \
		   $(if $(SANITIZE),-DRUMPK_SANITIZE)
LDDEFS		:= $(if $(SANITIZE),,-Wl,-z,defs)
KLDFLAGS	:= -shared -nostdlib $(LDDEFS) $(SANFLAGS) -L$(LIBDIR) \
		   -Wl,-rpath,'$$ORIGIN'
HLDFLAGS	:= $(SANFLAGS) -L$(LIBDIR) -Wl,--no-as-needed \
		   -Wl,-rpath,$(ABSLIBDIR) $(LDFLAGS)

all:

# ---- helpers -------------------------------------------------------------

# Kernel objects are compiled, then every global symbol that is not public
# API is renamed to rumpns_* so that the kernel cannot collide with the host.
$(BUILD)/kernel/%.o: kernel/%.c mk/rumpns.awk
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -MMD -MP -MT $@ -MF $(@:.o=.d) -c $< -o $@.raw
	$(NM) -P $@.raw | awk -f mk/rumpns.awk > $@.map
	$(OBJCOPY) --redefine-syms=$@.map $@.raw $@
	@rm -f $@.raw $@.map

$(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HCFLAGS) -MMD -MP -c $< -o $@

# $(call kcomponent,NAME,SOURCE DIRS,LIBS IT NEEDS)
define kcomponent
$(1)_SRCS := $$(sort $$(wildcard $$(addsuffix /*.c,$(2))))
$(1)_OBJS := $$(patsubst %.c,$(BUILD)/%.o,$$($(1)_SRCS))
$(LIBDIR)/lib$(1).so.$(SOVERSION): $$($(1)_OBJS) $$(foreach l,$(3),$(LIBDIR)/lib$$(l).so)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(KLDFLAGS) -Wl,-soname,lib$(1).so.$(SOVERSION) -o $$@ \
	    $$($(1)_OBJS) $$(addprefix -l,$(3)) -lgcc
$(LIBDIR)/lib$(1).so: $(LIBDIR)/lib$(1).so.$(SOVERSION)
	ln -sf lib$(1).so.$(SOVERSION) $$@
$(LIBDIR)/lib$(1).a: $$($(1)_OBJS)
	@mkdir -p $$(dir $$@)
	rm -f $$@ && $$(AR) rcs $$@ $$^
KLIBS += $(1)
LIBS += $(LIBDIR)/lib$(1).so $(LIBDIR)/lib$(1).a
DEPS += $$($(1)_OBJS:.o=.d)
endef

# $(call hcomponent,NAME,SOURCE DIRS,LINK FLAGS)
# The static archive holds one object linked from all of them (ld -r) in
# which the hidden symbols, the library's internals, are made local: a
# program that links it statically sees only the public names.
define hcomponent
$(1)_SRCS := $$(sort $$(wildcard $$(addsuffix /*.c,$(2))))
$(1)_OBJS := $$(patsubst %.c,$(BUILD)/host/%.o,$$($(1)_SRCS))
$(LIBDIR)/lib$(1).so.$(SOVERSION): $$($(1)_OBJS)
	@mkdir -p $$(dir $$@)
	$$(CC) -shared $$(SANFLAGS) $$(LDDEFS) \
	    -Wl,-soname,lib$(1).so.$(SOVERSION) -o $$@ $$($(1)_OBJS) $(3)
$(LIBDIR)/lib$(1).so: $(LIBDIR)/lib$(1).so.$(SOVERSION)
	ln -sf lib$(1).so.$(SOVERSION) $$@
$(LIBDIR)/lib$(1).a: $$($(1)_OBJS)
	@mkdir -p $$(dir $$@)
	$$(LD) -r -o $$@.o $$^ && $$(OBJCOPY) --localize-hidden $$@.o
	rm -f $$@ && $$(AR) rcs $$@ $$@.o && rm -f $$@.o
LIBS += $(LIBDIR)/lib$(1).so $(LIBDIR)/lib$(1).a
DEPS += $$($(1)_OBJS:.o=.d)
endef

# ---- components ----------------------------------------------------------

$(eval $(call hcomponent,rumpuser,hypercall/posix,-pthread -ldl))
$(eval $(call kcomponent,rump,kernel/kern kernel/lib,rumpuser))
$(eval $(call kcomponent,rumpvfs,kernel/vfs kernel/fs/rumpfs,rump rumpuser))
$(eval $(call kcomponent,rumpfs_tmpfs,kernel/fs/tmpfs,rumpvfs rump rumpuser))
$(eval $(call kcomponent,rumpdev_disk,kernel/dev/disk,rump rumpuser))
$(eval $(call kcomponent,rumpdev_md,kernel/dev/md,rumpvfs rump rumpuser))
$(eval $(call kcomponent,rumpfs_ext2,kernel/fs/ext2,rumpdev_disk rumpvfs rump rumpuser))
$(eval $(call kcomponent,rumpfs_msdos,kernel/fs/msdos,rumpdev_disk rumpvfs rump rumpuser))
$(eval $(call hcomponent,rumpclient,client,-pthread -ldl))
include mk/remote.mk
include mk/hijack.mk
include mk/fuse.mk

all: $(LIBS)

include mk/tests.mk
include mk/install.mk
include mk/bench.mk
include mk/demo.mk
include mk/man.mk
include mk/fuzz.mk

clean:
	rm -rf $(BUILD)

.PHONY: all clean
-include $(DEPS)
