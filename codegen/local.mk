# SPDX-License-Identifier: LGPL-2.1-or-later
# codegen/local.mk — the back ends (a convenience library)

noinst_LTLIBRARIES += libcodegen.la
libcodegen_la_SOURCES = \
	codegen/codegen.h \
	codegen/printer.h \
	codegen/printer.c \
	codegen/strbuf.h \
	codegen/strbuf.c \
	codegen/ctype.h \
	codegen/ctype.c \
	codegen/naming.h \
	codegen/naming.c \
	codegen/check-names.c \
	codegen/protos.h \
	codegen/protos.c \
	codegen/types.h \
	codegen/types.c \
	codegen/gen-header.c \
	codegen/gen-client.c \
	codegen/gen-server.c \
	codegen/gen-service.c \
	codegen/gen-signatures.c \
	codegen/spelling.c \
	codegen/gen-xml.c \
	codegen/gen-json.c \
	codegen/gen-markdown.c \
	codegen/compat.c
# gen-json.c writes through yajl: CODEGEN_LIBS is libyajl_s.a in a static dbidlc, else $(YAJL_LIBS) (configure.ac);
# a convenience library passes its LIBADD on to what links it.
libcodegen_la_CPPFLAGS = $(AM_CPPFLAGS) $(YAJL_CFLAGS)
libcodegen_la_LIBADD = $(CODEGEN_LIBS)

# --emit and --check-compat: each test runs the freshly built dbidlc (docs/testing.md).
CODEGEN_TESTS = \
	tests/integration/emit.sh \
	tests/integration/xml-introspect.sh \
	tests/compat/check-compat.sh
TESTS += $(CODEGEN_TESTS)
EXTRA_DIST += $(CODEGEN_TESTS) tests/integration/xml-introspect.py tests/compat

# The front end and the C back ends as a library: several files in one process, in two threads (docs/testing.md).
check_PROGRAMS += tests/unit/test-codegen
TESTS += tests/unit/test-codegen
tests_unit_test_codegen_SOURCES = tests/unit/test-codegen.c
tests_unit_test_codegen_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -pthread
tests_unit_test_codegen_LDADD = libcodegen.la libidl.la $(CHECK_LIBS) -lpthread
