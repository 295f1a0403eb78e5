# SPDX-License-Identifier: LGPL-2.1-or-later
# common/local.mk — header-only code that the runtime, the compiler and the dbidl command include (common/hashmap.h,
# common/signature.h)

noinst_HEADERS = common/hashmap.h common/signature.h

check_PROGRAMS += tests/unit/test-hashmap
TESTS += tests/unit/test-hashmap
tests_unit_test_hashmap_SOURCES = tests/unit/test-hashmap.c
tests_unit_test_hashmap_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_hashmap_LDADD = $(CHECK_LIBS)
