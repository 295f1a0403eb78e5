# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/local.mk — dbidlc, the compiler

bin_PROGRAMS += dbidlc
dbidlc_SOURCES = \
	tools/dbidlc.c \
	tools/atomic-write.h \
	tools/atomic-write.c \
	tools/import-bus.h \
	tools/import-bus.c \
	tools/import-cmd.h \
	tools/import-cmd.c
dbidlc_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
dbidlc_LDADD = libcodegen.la libidl.la $(SYSTEMD_LIBS)

dist_man_MANS += man/dbidlc.1
dist_man_MANS += man/dbidl.idl.5
