# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/bench/local.mk — benchmarks (not tests): generated stubs against hand-written sd-bus

# The bindings of bench.idl, generated at build time by the freshly built dbidlc with the examples' stamp
# recipe (DBIDLC_RUN, examples/local.mk), into tests/bench/gen/, apart from the hand-written sources.
tests/bench/gen/bench.stamp: tests/bench/bench.idl dbidlc$(EXEEXT)
	$(DBIDLC_RUN)
tests/bench/gen/bench.h tests/bench/gen/bench-client.c tests/bench/gen/bench-server.c: tests/bench/gen/bench.stamp
	@:
BENCH_GEN = tests/bench/gen/bench.h tests/bench/gen/bench-client.c tests/bench/gen/bench-server.c

# Built by every `make`, so that they always compile; run by `make bench`.  Same strict flags as the examples.
noinst_PROGRAMS += tests/bench/bench-service tests/bench/bench-client
tests_bench_bench_service_SOURCES = tests/bench/bench-service.c tests/bench/bench-common.h
nodist_tests_bench_bench_service_SOURCES = tests/bench/gen/bench.h tests/bench/gen/bench-server.c
tests_bench_bench_service_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/tests/bench/gen
tests_bench_bench_service_CFLAGS = $(STRICT_CFLAGS) $(SYSTEMD_CFLAGS)
tests_bench_bench_service_LDADD = libdbidl.la $(SYSTEMD_LIBS)
tests_bench_bench_client_SOURCES = tests/bench/bench-main.c tests/bench/bench-common.h
nodist_tests_bench_bench_client_SOURCES = tests/bench/gen/bench.h tests/bench/gen/bench-client.c
tests_bench_bench_client_CPPFLAGS = $(tests_bench_bench_service_CPPFLAGS)
tests_bench_bench_client_CFLAGS = $(STRICT_CFLAGS) $(SYSTEMD_CFLAGS)
tests_bench_bench_client_LDADD = libdbidl.la $(SYSTEMD_LIBS)

BUILT_SOURCES += $(BENCH_GEN)
CLEANFILES += $(BENCH_GEN) tests/bench/gen/bench.stamp
EXTRA_DIST += \
	tests/bench/bench.idl \
	tests/bench/run.sh \
	tests/bench/run-blob.sh

# bench-blob: blob against inline byte[] (tests/bench/bench-blob.c) with blob-service and the stubs of
# tests/blob/blob.idl (tests/blob/local.mk)
noinst_PROGRAMS += tests/bench/bench-blob
tests_bench_bench_blob_SOURCES = tests/bench/bench-blob.c tests/blob/checksum.h
nodist_tests_bench_bench_blob_SOURCES = tests/blob/blob.h tests/blob/blob-client.c
tests_bench_bench_blob_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/tests/blob -I$(top_srcdir)/tests/blob
tests_bench_bench_blob_CFLAGS = $(STRICT_CFLAGS) $(SYSTEMD_CFLAGS)
tests_bench_bench_blob_LDADD = libdbidl.la $(SYSTEMD_LIBS)
tests/bench/bench_blob-bench-blob.$(OBJEXT): tests/blob/blob.h

# make bench: the service and the client on a private bus; prints calls/s of both paths and their ratio; then
# blob against inline byte[] at several sizes and a 1 GiB blob (tests/bench/run-blob.sh).
bench: tests/bench/bench-service$(EXEEXT) tests/bench/bench-client$(EXEEXT) tests/bench/bench-blob$(EXEEXT) \
		tests/blob/blob-service$(EXEEXT)
	$(AM_V_at)top_builddir='$(abs_top_builddir)' $(SHELL) $(top_srcdir)/tests/bench/run.sh
	$(AM_V_at)top_builddir='$(abs_top_builddir)' $(SHELL) $(top_srcdir)/tests/bench/run-blob.sh
.PHONY: bench

# make bench-import: dbidlc's start-up against /bin/true, and introspection XML to C, dbidlc against
# sdbus-c++-xml2cpp and gdbus-codegen (tests/bench/import-bench.sh): the system's interface files and a synthetic
# interface of 2,000 members, several rounds; prints median, best and worst times and the ratios to the targets.
bench-import: dbidlc$(EXEEXT)
	$(AM_V_at)top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
		DBIDLC='$(abs_top_builddir)/dbidlc$(EXEEXT)' bash $(top_srcdir)/tests/bench/import-bench.sh
.PHONY: bench-import
EXTRA_DIST += tests/bench/import-bench.sh

# make bench-scaling: decode, import and parse times at n and 4n and their ratios (tests/bench/bench-scaling.c,
# docs/benchmarks.md "Scaling"); the types it decodes come from scaling.idl, generated like bench.idl.
tests/bench/gen/scaling.stamp: tests/bench/scaling.idl dbidlc$(EXEEXT)
	$(DBIDLC_RUN)
tests/bench/gen/scaling.h: tests/bench/gen/scaling.stamp
	@:
noinst_PROGRAMS += tests/bench/bench-scaling
tests_bench_bench_scaling_SOURCES = tests/bench/bench-scaling.c
nodist_tests_bench_bench_scaling_SOURCES = tests/bench/gen/scaling.h
tests_bench_bench_scaling_CPPFLAGS = $(tests_bench_bench_service_CPPFLAGS)
tests_bench_bench_scaling_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
tests_bench_bench_scaling_LDADD = libidl.la libdbidl.la $(SYSTEMD_LIBS)
BUILT_SOURCES += tests/bench/gen/scaling.h
CLEANFILES += tests/bench/gen/scaling.h tests/bench/gen/scaling-client.c tests/bench/gen/scaling-server.c \
	tests/bench/gen/scaling.stamp
EXTRA_DIST += tests/bench/scaling.idl

# make bench-json: JSON ↔ message throughput for a 1 MiB a(isd) payload next to yajl's parse alone
# (tests/bench/bench-json.c), and the wall time of one `dbidl call` process next to `busctl call`
# (tests/bench/json-bench.sh); docs/benchmarks.md "JSON".
noinst_PROGRAMS += tests/bench/bench-json
tests_bench_bench_json_SOURCES = tests/bench/bench-json.c
tests_bench_bench_json_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(YAJL_CFLAGS)
tests_bench_bench_json_LDADD = libdbidl.la $(SYSTEMD_LIBS) $(YAJL_LIBS)
EXTRA_DIST += tests/bench/json-bench.sh

bench-json: tests/bench/bench-json$(EXEEXT) dbidl$(EXEEXT) examples/types/types-service$(EXEEXT)
	$(AM_V_at)top_builddir='$(abs_top_builddir)' bash $(top_srcdir)/tests/bench/json-bench.sh
.PHONY: bench-json

bench-scaling: tests/bench/bench-scaling$(EXEEXT)
	$(AM_V_at)$(top_builddir)/tests/bench/bench-scaling$(EXEEXT)
.PHONY: bench-scaling
