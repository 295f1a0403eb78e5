# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/local.mk — dbidlc, the compiler

bin_PROGRAMS += dbidlc
dbidlc_SOURCES = \
	tools/dbidlc.c \
	tools/atomic-write.h \
	tools/atomic-write.c \
	tools/import-cmd.h \
	tools/import-cmd.c
# --help names the installed documents; --import-bus runs PKGLIBEXECDIR/dbidlc-import-bus
dbidlc_CPPFLAGS = $(AM_CPPFLAGS) -DDBIDL_DOCDIR='"$(docdir)"' -DDBIDL_PKGLIBEXECDIR='"$(pkglibexecdir)"'
# a static PIE where configure could (DBIDLC_LDFLAGS, configure.ac): the compiler starts without the dynamic loader
dbidlc_LDFLAGS = $(DBIDLC_LDFLAGS)
dbidlc_LDADD = libcodegen.la libidl.la

# dbidlc-import-bus: dbidlc with --import-bus, the one mode that needs sd-bus.  libsystemd, which has no static
# library, and the libraries it pulls in (libgcrypt, liblzma, libzstd, liblz4, libcap) stay out of the compiler's
# start-up: dbidlc executes this program, with its own arguments, for --import-bus alone (tools/import-cmd.c,
# docs/benchmarks.md "Start-up").  Not for users: it is installed in $(pkglibexecdir).
pkglibexec_PROGRAMS = dbidlc-import-bus
dbidlc_import_bus_SOURCES = $(dbidlc_SOURCES) tools/import-bus.h tools/import-bus.c
dbidlc_import_bus_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
dbidlc_import_bus_CPPFLAGS = $(dbidlc_CPPFLAGS) -DDBIDLC_IMPORT_BUS
dbidlc_import_bus_LDADD = libcodegen.la libidl.la $(SYSTEMD_LIBS)

# dbidl, the command: call, inspect and watch services with JSON in and out (dbidl(1), docs/json.md)
bin_PROGRAMS += dbidl
dbidl_SOURCES = tools/dbidl.c
dbidl_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(YAJL_CFLAGS) $(EXPAT_CFLAGS)
dbidl_CPPFLAGS = $(AM_CPPFLAGS) -DDBIDL_DOCDIR='"$(docdir)"'
dbidl_LDADD = libdbidl.la libidl.la $(SYSTEMD_LIBS) $(YAJL_LIBS) $(EXPAT_LIBS)

# the man pages name the installed documents and dbidlc-import-bus: %docdir% and %pkglibexecdir% are filled in at
# build time (configure leaves ${prefix} in them)
man_MANS = man/dbidlc.1 man/dbidl.1 man/dbidl.idl.5
EXTRA_DIST += man/dbidlc.1.in man/dbidl.1.in man/dbidl.idl.5.in
CLEANFILES += $(man_MANS)
man/dbidlc.1: $(srcdir)/man/dbidlc.1.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && sed 's|%docdir%|$(docdir)|g; s|%pkglibexecdir%|$(pkglibexecdir)|g' \
		$(srcdir)/man/dbidlc.1.in >$@
man/dbidl.1: $(srcdir)/man/dbidl.1.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && sed 's|%docdir%|$(docdir)|g' $(srcdir)/man/dbidl.1.in >$@
man/dbidl.idl.5: $(srcdir)/man/dbidl.idl.5.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && sed 's|%docdir%|$(docdir)|g' $(srcdir)/man/dbidl.idl.5.in >$@

# the documents --help and the man pages point to
dist_doc_DATA = \
	docs/idl.md \
	docs/c-api.md \
	docs/runtime.md \
	docs/json.md \
	docs/peer-to-peer.md \
	docs/outputs.md \
	docs/json-schema.md \
	docs/tutorial-import.md \
	docs/testing.md \
	docs/benchmarks.md

# the dbidl command against the types example and the bus driver, on a private bus
TESTS += tests/integration/dbidl-cli.sh
EXTRA_DIST += tests/integration/dbidl-cli.sh
# bash completion of dbidl (configure --with-bashcompletiondir), and its test
dist_bashcompletion_DATA = tools/bash-completion/dbidl
TESTS += tests/integration/dbidl-completion.sh
EXTRA_DIST += tests/integration/dbidl-completion.sh

# dbidl against busctl --json (types, bus driver, dbusmock templates), gdbus's signals, --address and --peer
TESTS += tests/integration/dbidl-compare.sh
EXTRA_DIST += tests/integration/dbidl-compare.sh tests/integration/dbidl-peer.py
