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
# <systemd/sd-bus.h> for its types only: --import-bus opens libsystemd.so.0 with dlopen() (tools/import-bus.c), so
# that the compiler starts without libsystemd and the libraries it pulls in (docs/benchmarks.md, "Start-up")
dbidlc_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
# --help names the installed documents
dbidlc_CPPFLAGS = $(AM_CPPFLAGS) -DDBIDL_DOCDIR='"$(docdir)"'
dbidlc_LDADD = libcodegen.la libidl.la $(DLOPEN_LIBS)

# the man pages name the installed documents: %docdir% is filled in at build time (configure leaves ${prefix} in it)
man_MANS = man/dbidlc.1 man/dbidl.idl.5
EXTRA_DIST += man/dbidlc.1.in man/dbidl.idl.5.in
CLEANFILES += $(man_MANS)
man/dbidlc.1: $(srcdir)/man/dbidlc.1.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && sed 's|%docdir%|$(docdir)|g' $(srcdir)/man/dbidlc.1.in >$@
man/dbidl.idl.5: $(srcdir)/man/dbidl.idl.5.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && sed 's|%docdir%|$(docdir)|g' $(srcdir)/man/dbidl.idl.5.in >$@

# the documents --help and the man pages point to
dist_doc_DATA = \
	docs/idl.md \
	docs/c-api.md \
	docs/runtime.md \
	docs/peer-to-peer.md \
	docs/outputs.md \
	docs/json-schema.md \
	docs/tutorial-import.md \
	docs/testing.md \
	docs/benchmarks.md
