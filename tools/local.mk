# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/local.mk — dbidlc, the compiler

bin_PROGRAMS += dbidlc
dbidlc_SOURCES = tools/dbidlc.c
dbidlc_LDADD = libcodegen.la libidl.la

dist_man_MANS += man/dbidlc.1
