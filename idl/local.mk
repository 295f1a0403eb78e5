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
