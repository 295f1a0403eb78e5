# SPDX-License-Identifier: LGPL-2.1-or-later
# idl/local.mk — the front end: lexer, parser, AST, semantic pass, diagnostics, loader, formatter (a convenience library)

noinst_LTLIBRARIES += libidl.la
libidl_la_SOURCES = \
	idl/ast.h \
	idl/ast.c \
	idl/diag.h \
	idl/diag.c \
	idl/idl.h \
	idl/lexer.h \
	idl/lexer.c \
	idl/parser.c \
	idl/load.c \
	idl/format.c \
	idl/sema.c

# Unit tests (Check), one per module; test-sema also runs every tests/idl/good and tests/idl/bad case.
check_PROGRAMS += tests/unit/test-lexer tests/unit/test-parser tests/unit/test-sema tests/unit/test-format \
	tests/unit/test-diag
TESTS += tests/unit/test-lexer tests/unit/test-parser tests/unit/test-sema tests/unit/test-format \
	tests/unit/test-diag

tests_unit_test_lexer_SOURCES = tests/unit/test-lexer.c
tests_unit_test_lexer_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_lexer_LDADD = libidl.la $(CHECK_LIBS)

tests_unit_test_parser_SOURCES = tests/unit/test-parser.c
tests_unit_test_parser_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_parser_LDADD = libidl.la $(CHECK_LIBS)

tests_unit_test_sema_SOURCES = tests/unit/test-sema.c
tests_unit_test_sema_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_sema_LDADD = libcodegen.la libidl.la $(CHECK_LIBS)

tests_unit_test_diag_SOURCES = tests/unit/test-diag.c
tests_unit_test_diag_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_diag_LDADD = libidl.la $(CHECK_LIBS)

tests_unit_test_format_SOURCES = tests/unit/test-format.c
tests_unit_test_format_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_format_LDADD = libidl.la $(CHECK_LIBS)

# dbidlc --format on every .idl of the tree: idempotent, and the generated C unchanged
TESTS += tests/integration/format.sh
EXTRA_DIST += tests/integration/format.sh

# the IDL cases: tests/idl/good/*.idl and tests/idl/bad/*.idl with their expected *.err
EXTRA_DIST += tests/idl

# The D-Bus introspection XML importer (expat)
libidl_la_SOURCES += idl/import.h idl/import-xml.c
libidl_la_CFLAGS = $(AM_CFLAGS) $(EXPAT_CFLAGS)
# a convenience library passes its LIBADD on to what links it (libexpat.a in a static dbidlc, configure.ac)
libidl_la_LIBADD = $(EXPAT_LIBS)
