# SPDX-License-Identifier: LGPL-2.1-or-later
# idl/local.mk — the front end: lexer, parser, AST, semantic pass, diagnostics (a convenience library)

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
	idl/sema.c

# Unit tests (Check), one per module; test-sema also runs every tests/idl/good and tests/idl/bad case.
check_PROGRAMS += tests/unit/test-lexer tests/unit/test-parser tests/unit/test-sema
TESTS += tests/unit/test-lexer tests/unit/test-parser tests/unit/test-sema

tests_unit_test_lexer_SOURCES = tests/unit/test-lexer.c
tests_unit_test_lexer_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_lexer_LDADD = libidl.la $(CHECK_LIBS)

tests_unit_test_parser_SOURCES = tests/unit/test-parser.c
tests_unit_test_parser_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_parser_LDADD = libidl.la $(CHECK_LIBS)

tests_unit_test_sema_SOURCES = tests/unit/test-sema.c
tests_unit_test_sema_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_sema_LDADD = libidl.la $(CHECK_LIBS)

# the IDL cases: tests/idl/good/*.idl and tests/idl/bad/*.idl with their expected *.err
EXTRA_DIST += tests/idl
