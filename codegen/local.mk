# SPDX-License-Identifier: LGPL-2.1-or-later
# codegen/local.mk — the back ends (a convenience library)

noinst_LTLIBRARIES += libcodegen.la
libcodegen_la_SOURCES = \
	codegen/codegen.h \
	codegen/printer.h \
	codegen/printer.c \
	codegen/ctype.h \
	codegen/ctype.c \
	codegen/protos.h \
	codegen/protos.c \
	codegen/types.h \
	codegen/types.c \
	codegen/gen-header.c \
	codegen/gen-client.c \
	codegen/gen-server.c \
	codegen/gen-signatures.c
