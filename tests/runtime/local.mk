# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/runtime/local.mk — build and test rules

## the runtime test: rt-service and rt-client, generated from rt.idl, driven by runtime.sh on a private bus
tests/runtime/rt.stamp: tests/runtime/rt.idl dbidlc$(EXEEXT)
	$(DBIDLC_RUN)
tests/runtime/rt.h tests/runtime/rt-client.c tests/runtime/rt-server.c: tests/runtime/rt.stamp
	@:
RUNTIME_TEST_GEN = tests/runtime/rt.h tests/runtime/rt-client.c tests/runtime/rt-server.c

check_PROGRAMS += tests/runtime/rt-service tests/runtime/rt-client
tests_runtime_rt_service_SOURCES = tests/runtime/rt-service.c
nodist_tests_runtime_rt_service_SOURCES = tests/runtime/rt.h tests/runtime/rt-server.c
tests_runtime_rt_service_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/tests/runtime
tests_runtime_rt_service_CFLAGS = $(EXAMPLE_CFLAGS)
tests_runtime_rt_service_LDADD = $(EXAMPLE_LIBS)
# (rt-client.c is the generated client stubs; the test program's own source is rt-test-client.c; it also
# serves a @stored object on its own loop, hence rt-server.c)
tests_runtime_rt_client_SOURCES = tests/runtime/rt-test-client.c
nodist_tests_runtime_rt_client_SOURCES = tests/runtime/rt.h tests/runtime/rt-client.c tests/runtime/rt-server.c
tests_runtime_rt_client_CPPFLAGS = $(tests_runtime_rt_service_CPPFLAGS)
tests_runtime_rt_client_CFLAGS = $(EXAMPLE_CFLAGS)
tests_runtime_rt_client_LDADD = $(EXAMPLE_LIBS)
# so that `make tests/runtime/rt-service` alone generates the header first (BUILT_SOURCES only acts for all/check)
tests/runtime/rt_service-rt-service.$(OBJEXT) tests/runtime/rt_client-rt-test-client.$(OBJEXT): tests/runtime/rt.h

BUILT_SOURCES += $(RUNTIME_TEST_GEN)
CLEANFILES += $(RUNTIME_TEST_GEN) tests/runtime/rt.stamp

TESTS += tests/runtime/runtime.sh tests/runtime/deferred.sh
EXTRA_DIST += tests/runtime/rt.idl tests/runtime/runtime.sh tests/runtime/deferred.sh tests/runtime/defer-flood.py

## libdbidl as a library (library.sh): what libdbidl.so links, what libdbidl.a defines, and libyajl opened at the
## first JSON call (runtime/yajl-dl.c), with json-lazy, a plain program of JSON calls, run with the real
## libyajl.so.2 and with one that lacks its functions
check_PROGRAMS += tests/runtime/json-lazy
tests_runtime_json_lazy_SOURCES = tests/runtime/json-lazy.c
tests_runtime_json_lazy_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
tests_runtime_json_lazy_LDADD = libdbidl.la $(SYSTEMD_LIBS)
TESTS += tests/runtime/library.sh
EXTRA_DIST += tests/runtime/library.sh
