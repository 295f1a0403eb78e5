# SPDX-License-Identifier: LGPL-2.1-or-later
# examples/shared-memory/local.mk — build and test rules

## shared-memory: Qt's Shared Memory example over blobs (shm-service, shm-put, shm-get, shm-watch)
examples/shared-memory/shm.stamp: examples/shared-memory/shm.idl dbidlc$(EXEEXT)
	$(DBIDLC_RUN)
examples/shared-memory/shm.h examples/shared-memory/shm-client.c examples/shared-memory/shm-server.c: examples/shared-memory/shm.stamp
	@:
SHM_GEN = examples/shared-memory/shm.h examples/shared-memory/shm-client.c examples/shared-memory/shm-server.c

SHM_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/examples/shared-memory
SHM_CFLAGS = $(EXAMPLE_CFLAGS) $(LIBCRYPTO_CFLAGS)
SHM_LIBS = $(EXAMPLE_LIBS) $(LIBCRYPTO_LIBS)
noinst_PROGRAMS += examples/shared-memory/shm-service examples/shared-memory/shm-put examples/shared-memory/shm-get \
	examples/shared-memory/shm-watch
examples_shared_memory_shm_service_SOURCES = examples/shared-memory/service.c examples/shared-memory/digest.h
nodist_examples_shared_memory_shm_service_SOURCES = examples/shared-memory/shm.h examples/shared-memory/shm-server.c
examples_shared_memory_shm_service_CPPFLAGS = $(SHM_CPPFLAGS)
examples_shared_memory_shm_service_CFLAGS = $(SHM_CFLAGS)
examples_shared_memory_shm_service_LDADD = $(SHM_LIBS)
examples_shared_memory_shm_put_SOURCES = examples/shared-memory/put.c examples/shared-memory/digest.h
nodist_examples_shared_memory_shm_put_SOURCES = examples/shared-memory/shm.h examples/shared-memory/shm-client.c
examples_shared_memory_shm_put_CPPFLAGS = $(SHM_CPPFLAGS)
examples_shared_memory_shm_put_CFLAGS = $(SHM_CFLAGS)
examples_shared_memory_shm_put_LDADD = $(SHM_LIBS)
examples_shared_memory_shm_get_SOURCES = examples/shared-memory/get.c examples/shared-memory/digest.h
nodist_examples_shared_memory_shm_get_SOURCES = examples/shared-memory/shm.h examples/shared-memory/shm-client.c
examples_shared_memory_shm_get_CPPFLAGS = $(SHM_CPPFLAGS)
examples_shared_memory_shm_get_CFLAGS = $(SHM_CFLAGS)
examples_shared_memory_shm_get_LDADD = $(SHM_LIBS)
examples_shared_memory_shm_watch_SOURCES = examples/shared-memory/watch.c examples/shared-memory/digest.h
nodist_examples_shared_memory_shm_watch_SOURCES = examples/shared-memory/shm.h examples/shared-memory/shm-client.c
examples_shared_memory_shm_watch_CPPFLAGS = $(SHM_CPPFLAGS)
examples_shared_memory_shm_watch_CFLAGS = $(SHM_CFLAGS)
examples_shared_memory_shm_watch_LDADD = $(SHM_LIBS)
# so that `make examples/shared-memory/shm-put` alone generates the header first
examples/shared-memory/shm_service-service.$(OBJEXT) examples/shared-memory/shm_put-put.$(OBJEXT) \
examples/shared-memory/shm_get-get.$(OBJEXT) examples/shared-memory/shm_watch-watch.$(OBJEXT): examples/shared-memory/shm.h

BUILT_SOURCES += $(SHM_GEN)
CLEANFILES += $(SHM_GEN) examples/shared-memory/shm.stamp
EXTRA_DIST += examples/shared-memory/shm.idl examples/shared-memory/README.md

# the integration test: files of 0 B and 10 MiB (1 GiB with DBIDL_SHM_GIB=1) through shm-put, shm-get and shm-watch
TESTS += tests/integration/shared-memory.sh
EXTRA_DIST += tests/integration/shared-memory.sh
