# SPDX-License-Identifier: LGPL-2.1-or-later
# runtime/local.mk — libdbidl, its public headers and its symbol map

lib_LTLIBRARIES += libdbidl.la
libdbidl_la_SOURCES = \
	runtime/util.h \
	runtime/bus.c \
	runtime/dict.c \
	runtime/error.c \
	runtime/object.c \
	runtime/proxy.c \
	runtime/variant.c \
	runtime/variant-internal.h \
	runtime/version.c
libdbidl_la_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) -fvisibility=default
libdbidl_la_LIBADD = $(SYSTEMD_LIBS)
libdbidl_la_LDFLAGS = $(AM_LDFLAGS) -version-info $(LIBDBIDL_LT_VERSION) \
	-Wl,--version-script=$(srcdir)/runtime/libdbidl.sym
EXTRA_libdbidl_la_DEPENDENCIES = runtime/libdbidl.sym
EXTRA_DIST += runtime/libdbidl.sym

dbidlincludedir = $(includedir)/dbidl
dbidlinclude_HEADERS = \
	include/dbidl/dbidl.h \
	include/dbidl/bus.h \
	include/dbidl/dict.h \
	include/dbidl/error.h \
	include/dbidl/object.h \
	include/dbidl/proxy.h \
	include/dbidl/variant.h
