# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/blob/local.mk — blobs on a private bus: blob-service and blob-client from blob.idl, driven by blob.sh

tests/blob/blob.stamp: tests/blob/blob.idl dbidlc$(EXEEXT)
	$(DBIDLC_RUN)
tests/blob/blob.h tests/blob/blob-client.c tests/blob/blob-server.c: tests/blob/blob.stamp
	@:
BLOB_TEST_GEN = tests/blob/blob.h tests/blob/blob-client.c tests/blob/blob-server.c

# (the generated client stubs are blob-client.c in the build tree; the test program's source is blob-test-client.c)
check_PROGRAMS += tests/blob/blob-service tests/blob/blob-test-client
tests_blob_blob_service_SOURCES = tests/blob/blob-service.c
nodist_tests_blob_blob_service_SOURCES = tests/blob/blob.h tests/blob/blob-server.c
tests_blob_blob_service_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/tests/blob
tests_blob_blob_service_CFLAGS = $(EXAMPLE_CFLAGS)
tests_blob_blob_service_LDADD = $(EXAMPLE_LIBS)
tests_blob_blob_test_client_SOURCES = tests/blob/blob-test-client.c
nodist_tests_blob_blob_test_client_SOURCES = tests/blob/blob.h tests/blob/blob-client.c
tests_blob_blob_test_client_CPPFLAGS = $(tests_blob_blob_service_CPPFLAGS)
tests_blob_blob_test_client_CFLAGS = $(EXAMPLE_CFLAGS)
tests_blob_blob_test_client_LDADD = $(EXAMPLE_LIBS)
tests/blob/blob_service-blob-service.$(OBJEXT) tests/blob/blob_test_client-blob-test-client.$(OBJEXT): tests/blob/blob.h

BUILT_SOURCES += $(BLOB_TEST_GEN)
CLEANFILES += $(BLOB_TEST_GEN) tests/blob/blob.stamp

TESTS += tests/blob/blob.sh
EXTRA_DIST += tests/blob/checksum.h tests/blob/blob.idl tests/blob/blob.sh tests/blob/hostile-blob.py tests/blob/hostile-service.py
