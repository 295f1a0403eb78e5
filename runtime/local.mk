# SPDX-License-Identifier: LGPL-2.1-or-later
# runtime/local.mk — libdbidl, its public headers and its symbol map

lib_LTLIBRARIES += libdbidl.la
libdbidl_la_SOURCES = \
	runtime/util.h \
	runtime/blob.c \
	runtime/bus.c \
	runtime/dict.c \
	runtime/error.c \
	runtime/invoke.c \
	runtime/invoke.h \
	runtime/json.c \
	runtime/memory.c \
	runtime/memory.h \
	runtime/message.c \
	runtime/object.c \
	runtime/defer.c \
	runtime/proxy.c \
	runtime/server.c \
	runtime/server-address.c \
	runtime/server-address.h \
	runtime/variant.c \
	runtime/variant-internal.h \
	runtime/version.c \
	runtime/yajl-dl.c \
	runtime/yajl-dl.h
libdbidl_la_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(YAJL_CFLAGS) -fvisibility=hidden
# runtime/json.c reads and writes JSON with yajl, which runtime/yajl-dl.c opens with dlopen() at the first JSON call:
# yajl's headers at build time, DLOPEN_LIBS (none with glibc >= 2.34) for dlopen() itself
libdbidl_la_LIBADD = $(SYSTEMD_LIBS) $(DLOPEN_LIBS)
# -Bsymbolic-functions: libdbidl's calls to its own exported functions (dbidl_proxy_invoke() calling dbidl_proxy_call(),
# ...) are bound inside the library at link time, not through the PLT: 95 fewer lazy relocations for the loader and no
# PLT jump on those calls.  A program's own dbidl_* definitions therefore cannot replace the library's internal uses.
libdbidl_la_LDFLAGS = $(AM_LDFLAGS) -version-info $(LIBDBIDL_LT_VERSION) -Wl,-Bsymbolic-functions \
	-Wl,--version-script=$(srcdir)/runtime/libdbidl.sym
EXTRA_libdbidl_la_DEPENDENCIES = runtime/libdbidl.sym
EXTRA_DIST += runtime/libdbidl.sym

# libdbidl.a, for programs that link the runtime statically (docs/runtime.md): the version script hides the
# runtime's internal functions in libdbidl.so, but an archive of objects would still offer them to the link, where
# a program's own strbuf_append() or value_check() would clash with them.  So after libtool has made the archive,
# every global symbol of its objects that is not a dbidl_* name gets the reserved prefix dbidl__ in the objects that
# define and use it (objcopy --redefine-syms): a program can only clash with names in dbidl's namespace, and the
# archive keeps one object per source file, so a static link takes only the objects it uses
# (tests/runtime/library.sh).
if HAVE_LIBDBIDL_A
all-local: runtime/libdbidl-a.stamp
endif
runtime/libdbidl-a.stamp: libdbidl.la
	$(AM_V_GEN)set -e; rm -rf .libs/libdbidl-a.d; mkdir .libs/libdbidl-a.d; cd .libs/libdbidl-a.d; \
	$(AR) x ../libdbidl.a; \
	$(NM) -B -g --defined-only *.o | $(AWK) 'NF == 3 && $$3 !~ /^dbidl_/ { print $$3, "dbidl__" $$3 }' \
		| sort -u >renames; \
	for o in *.o; do $(OBJCOPY) --redefine-syms=renames $$o; done; \
	rm -f ../libdbidl.a; $(AR) cr ../libdbidl.a *.o; $(RANLIB) ../libdbidl.a; \
	cd ../..; rm -rf .libs/libdbidl-a.d; touch $@
CLEANFILES += runtime/libdbidl-a.stamp

dbidlincludedir = $(includedir)/dbidl
dbidlinclude_HEADERS = \
	include/dbidl/dbidl.h \
	include/dbidl/blob.h \
	include/dbidl/bus.h \
	include/dbidl/dict.h \
	include/dbidl/error.h \
	include/dbidl/generated.h \
	include/dbidl/json.h \
	include/dbidl/message.h \
	include/dbidl/object.h \
	include/dbidl/proxy.h \
	include/dbidl/server.h \
	include/dbidl/variant.h

# Unit tests of the runtime (Check); test-bus starts a private dbus-daemon.
check_PROGRAMS += tests/unit/test-variant tests/unit/test-dict tests/unit/test-message tests/unit/test-bus \
	tests/unit/test-json
TESTS += tests/unit/test-variant tests/unit/test-dict tests/unit/test-message tests/unit/test-bus \
	tests/unit/test-json

tests_unit_test_variant_SOURCES = tests/unit/test-variant.c
tests_unit_test_variant_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_variant_LDADD = libdbidl.la $(SYSTEMD_LIBS) $(CHECK_LIBS) -lm

tests_unit_test_dict_SOURCES = tests/unit/test-dict.c
tests_unit_test_dict_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_dict_LDADD = libdbidl.la $(SYSTEMD_LIBS) $(CHECK_LIBS) -lm

tests_unit_test_message_SOURCES = tests/unit/test-message.c
tests_unit_test_message_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_message_LDADD = libdbidl.la $(SYSTEMD_LIBS) $(CHECK_LIBS)

tests_unit_test_bus_SOURCES = tests/unit/test-bus.c
tests_unit_test_bus_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_bus_LDADD = libdbidl.la $(SYSTEMD_LIBS) $(CHECK_LIBS)

tests_unit_test_json_SOURCES = tests/unit/test-json.c
tests_unit_test_json_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_json_LDADD = libdbidl.la $(SYSTEMD_LIBS) $(CHECK_LIBS) -lm

# The server address parser (runtime/server-address.c, internal to libdbidl: compiled in)
check_PROGRAMS += tests/unit/test-server-address
TESTS += tests/unit/test-server-address
tests_unit_test_server_address_SOURCES = tests/unit/test-server-address.c runtime/server-address.c runtime/server-address.h
tests_unit_test_server_address_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_server_address_LDADD = $(CHECK_LIBS)

