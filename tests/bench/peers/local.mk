# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/bench/peers/local.mk — make bench-peers: one interface served and called through sd-bus by hand, dbidl,
# GDBus (gdbus-codegen) and sdbus-c++ (sdbus-c++-xml2cpp), side by side (docs/benchmarks.md)

# None of this is built by `make` or `make check`: the programs are EXTRA_PROGRAMS, built by `make bench-peers`,
# and their generated code is made on demand (not in BUILT_SOURCES).  Everything generated goes to
# tests/bench/peers/gen/ in the build tree, from bench-peers.idl through the freshly built dbidlc: the C bindings
# (dbidlc), the introspection XML (dbidlc --emit=xml), and from that XML the GDBus and sdbus-c++ code.
PEERS_GEN_DIR = tests/bench/peers/gen
tests/bench/peers/gen/bench-peers.stamp: tests/bench/peers/bench-peers.idl dbidlc$(EXEEXT)
	$(DBIDLC_RUN)
tests/bench/peers/gen/bench-peers.h tests/bench/peers/gen/bench-peers-client.c tests/bench/peers/gen/bench-peers-server.c: tests/bench/peers/gen/bench-peers.stamp
	@:
PEERS_DBIDL_GEN = tests/bench/peers/gen/bench-peers.h tests/bench/peers/gen/bench-peers-client.c \
	tests/bench/peers/gen/bench-peers-server.c
tests/bench/peers/gen/org.dbidl.BenchPeers1.xml: tests/bench/peers/bench-peers.idl dbidlc$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(top_builddir)/dbidlc$(EXEEXT) --emit=xml -o $(@D) $< && touch $@

# The hand-written sd-bus contender and the dbidl one share the peer-to-peer set-up (peers-sd.c).  The dbidl
# programs link libdbidl without libtool's wrapper script (-no-install), so that `start` times the program,
# not a shell; that gives them the build tree's .libs as RUNPATH.  The dynamic loader looks there before
# ld.so.cache, the first time in each glibc-hwcaps and legacy subdirectory too: 18 failed openat() and stat()
# calls, then one per further library, 20-130 us per start on the reference VM, which an installed program does
# not spend.  So every client gets the same RUNPATH (PEERS_RUNPATH): `start` then differs by what an installed
# program pays, its libraries.
PEERS_RUNPATH = -Wl,-rpath,$(abs_top_builddir)/.libs
PEERS_CLIENT_SOURCES = tests/bench/peers/peers-client.c tests/bench/peers/peers.h
PEERS_CFLAGS = $(STRICT_CFLAGS) $(SYSTEMD_CFLAGS)
PEERS_SD = tests/bench/peers/peers-sd.c tests/bench/peers/peers-sd.h
PEERS_BINS = tests/bench/peers/peers-server-sdbus tests/bench/peers/peers-client-sdbus \
	tests/bench/peers/peers-server-dbidl tests/bench/peers/peers-client-dbidl
EXTRA_PROGRAMS = $(PEERS_BINS)

tests_bench_peers_peers_server_sdbus_SOURCES = tests/bench/peers/peers-server-sdbus.c tests/bench/peers/peers.h $(PEERS_SD)
tests_bench_peers_peers_server_sdbus_CFLAGS = $(PEERS_CFLAGS)
tests_bench_peers_peers_server_sdbus_LDADD = $(SYSTEMD_LIBS)
tests_bench_peers_peers_client_sdbus_SOURCES = tests/bench/peers/peers-client-sdbus.c $(PEERS_CLIENT_SOURCES) $(PEERS_SD)
tests_bench_peers_peers_client_sdbus_CFLAGS = $(PEERS_CFLAGS)
tests_bench_peers_peers_client_sdbus_LDFLAGS = $(PEERS_RUNPATH)
tests_bench_peers_peers_client_sdbus_LDADD = $(SYSTEMD_LIBS)

tests_bench_peers_peers_server_dbidl_SOURCES = tests/bench/peers/peers-server-dbidl.c tests/bench/peers/peers.h $(PEERS_SD)
nodist_tests_bench_peers_peers_server_dbidl_SOURCES = tests/bench/peers/gen/bench-peers.h tests/bench/peers/gen/bench-peers-server.c
tests_bench_peers_peers_server_dbidl_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/tests/bench/peers/gen
tests_bench_peers_peers_server_dbidl_CFLAGS = $(PEERS_CFLAGS)
tests_bench_peers_peers_server_dbidl_LDFLAGS = -no-install
tests_bench_peers_peers_server_dbidl_LDADD = libdbidl.la $(SYSTEMD_LIBS)
tests_bench_peers_peers_client_dbidl_SOURCES = tests/bench/peers/peers-client-dbidl.c $(PEERS_CLIENT_SOURCES) $(PEERS_SD)
nodist_tests_bench_peers_peers_client_dbidl_SOURCES = tests/bench/peers/gen/bench-peers.h tests/bench/peers/gen/bench-peers-client.c
tests_bench_peers_peers_client_dbidl_CPPFLAGS = $(tests_bench_peers_peers_server_dbidl_CPPFLAGS)
tests_bench_peers_peers_client_dbidl_CFLAGS = $(PEERS_CFLAGS)
tests_bench_peers_peers_client_dbidl_LDFLAGS = -no-install
tests_bench_peers_peers_client_dbidl_LDADD = libdbidl.la $(SYSTEMD_LIBS)
# The same client with libdbidl linked in from libdbidl.a (libtool's -static: no uninstalled shared library), for
# what a program's start pays for loading libdbidl.so (docs/benchmarks.md, "start")
EXTRA_PROGRAMS += tests/bench/peers/peers-client-dbidl-static
if HAVE_LIBDBIDL_A
PEERS_BINS += tests/bench/peers/peers-client-dbidl-static
endif
tests_bench_peers_peers_client_dbidl_static_SOURCES = $(tests_bench_peers_peers_client_dbidl_SOURCES)
nodist_tests_bench_peers_peers_client_dbidl_static_SOURCES = $(nodist_tests_bench_peers_peers_client_dbidl_SOURCES)
tests_bench_peers_peers_client_dbidl_static_CPPFLAGS = $(tests_bench_peers_peers_server_dbidl_CPPFLAGS)
tests_bench_peers_peers_client_dbidl_static_CFLAGS = $(PEERS_CFLAGS)
tests_bench_peers_peers_client_dbidl_static_LDFLAGS = -static $(PEERS_RUNPATH)
tests_bench_peers_peers_client_dbidl_static_LDADD = libdbidl.la $(SYSTEMD_LIBS)
EXTRA_tests_bench_peers_peers_client_dbidl_static_DEPENDENCIES = runtime/libdbidl-a.stamp
# the generated header exists before the objects that include it are compiled (it is not a BUILT_SOURCE)
$(am_tests_bench_peers_peers_server_dbidl_OBJECTS) $(am_tests_bench_peers_peers_client_dbidl_OBJECTS) \
	$(am_tests_bench_peers_peers_client_dbidl_static_OBJECTS): $(PEERS_DBIDL_GEN)

# GDBus: gdbus-codegen's C from dbidlc's XML (namespace Gd: GdBp, gd_bp_call_ping_sync(), …).  The generated
# file compiles clean under the strict set too, so no warning is relaxed.
tests/bench/peers/gen/gdbus-peers.c: tests/bench/peers/gen/org.dbidl.BenchPeers1.xml
	$(AM_V_GEN)$(GDBUS_CODEGEN) --interface-prefix org.dbidl. --c-namespace Gd \
		--generate-c-code $(PEERS_GEN_DIR)/gdbus-peers $<
tests/bench/peers/gen/gdbus-peers.h: tests/bench/peers/gen/gdbus-peers.c
	@:
PEERS_GDBUS_GEN = tests/bench/peers/gen/gdbus-peers.c tests/bench/peers/gen/gdbus-peers.h
EXTRA_PROGRAMS += tests/bench/peers/peers-server-gdbus tests/bench/peers/peers-client-gdbus
tests_bench_peers_peers_server_gdbus_SOURCES = tests/bench/peers/peers-server-gdbus.c tests/bench/peers/peers.h
nodist_tests_bench_peers_peers_server_gdbus_SOURCES = $(PEERS_GDBUS_GEN)
tests_bench_peers_peers_server_gdbus_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/tests/bench/peers/gen
tests_bench_peers_peers_server_gdbus_CFLAGS = $(STRICT_CFLAGS) $(GIO_CFLAGS)
tests_bench_peers_peers_server_gdbus_LDADD = $(GIO_LIBS)
tests_bench_peers_peers_client_gdbus_SOURCES = tests/bench/peers/peers-client-gdbus.c $(PEERS_CLIENT_SOURCES)
nodist_tests_bench_peers_peers_client_gdbus_SOURCES = $(PEERS_GDBUS_GEN)
tests_bench_peers_peers_client_gdbus_CPPFLAGS = $(tests_bench_peers_peers_server_gdbus_CPPFLAGS)
tests_bench_peers_peers_client_gdbus_CFLAGS = $(STRICT_CFLAGS) $(GIO_CFLAGS)
tests_bench_peers_peers_client_gdbus_LDFLAGS = $(PEERS_RUNPATH)
tests_bench_peers_peers_client_gdbus_LDADD = $(GIO_LIBS)
$(am_tests_bench_peers_peers_server_gdbus_OBJECTS) $(am_tests_bench_peers_peers_client_gdbus_OBJECTS): $(PEERS_GDBUS_GEN)
if HAVE_PEERS_GDBUS
PEERS_BINS += tests/bench/peers/peers-server-gdbus tests/bench/peers/peers-client-gdbus
endif

# sdbus-c++ 1.2: sdbus-c++-xml2cpp's proxy and adaptor headers from dbidlc's XML (it warns about the GDBus
# annotations it ignores; its output goes to a log shown only on failure).  C++ at -O2, C++17.
tests/bench/peers/gen/sdbuscpp-proxy.h: tests/bench/peers/gen/org.dbidl.BenchPeers1.xml
	$(AM_V_GEN)$(SDBUSCPP_XML2CPP) $< --proxy=$(PEERS_GEN_DIR)/sdbuscpp-proxy.h \
		--adaptor=$(PEERS_GEN_DIR)/sdbuscpp-adaptor.h >$(PEERS_GEN_DIR)/sdbuscpp.log 2>&1 \
		|| { cat $(PEERS_GEN_DIR)/sdbuscpp.log; exit 1; }
tests/bench/peers/gen/sdbuscpp-adaptor.h: tests/bench/peers/gen/sdbuscpp-proxy.h
	@:
PEERS_SDBUSCPP_GEN = tests/bench/peers/gen/sdbuscpp-proxy.h tests/bench/peers/gen/sdbuscpp-adaptor.h
PEERS_CXXFLAGS = -std=c++17 -O2 -Wall -Wextra $(SDBUSCPP_CFLAGS)
EXTRA_PROGRAMS += tests/bench/peers/peers-server-sdbuscpp tests/bench/peers/peers-client-sdbuscpp
tests_bench_peers_peers_server_sdbuscpp_SOURCES = tests/bench/peers/peers-server-sdbuscpp.cpp tests/bench/peers/peers.h
nodist_tests_bench_peers_peers_server_sdbuscpp_SOURCES = $(PEERS_SDBUSCPP_GEN)
tests_bench_peers_peers_server_sdbuscpp_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/tests/bench/peers/gen
tests_bench_peers_peers_server_sdbuscpp_CXXFLAGS = $(PEERS_CXXFLAGS)
tests_bench_peers_peers_server_sdbuscpp_LDADD = $(SDBUSCPP_LIBS)
tests_bench_peers_peers_client_sdbuscpp_SOURCES = tests/bench/peers/peers-client-sdbuscpp.cpp $(PEERS_CLIENT_SOURCES)
nodist_tests_bench_peers_peers_client_sdbuscpp_SOURCES = $(PEERS_SDBUSCPP_GEN)
tests_bench_peers_peers_client_sdbuscpp_CPPFLAGS = $(tests_bench_peers_peers_server_sdbuscpp_CPPFLAGS)
tests_bench_peers_peers_client_sdbuscpp_CFLAGS = $(STRICT_CFLAGS)
tests_bench_peers_peers_client_sdbuscpp_CXXFLAGS = $(PEERS_CXXFLAGS)
tests_bench_peers_peers_client_sdbuscpp_LDFLAGS = $(PEERS_RUNPATH)
tests_bench_peers_peers_client_sdbuscpp_LDADD = $(SDBUSCPP_LIBS)
$(am_tests_bench_peers_peers_server_sdbuscpp_OBJECTS) $(am_tests_bench_peers_peers_client_sdbuscpp_OBJECTS): $(PEERS_SDBUSCPP_GEN)
if HAVE_PEERS_SDBUSCPP
PEERS_BINS += tests/bench/peers/peers-server-sdbuscpp tests/bench/peers/peers-client-sdbuscpp
endif

CLEANFILES += $(EXTRA_PROGRAMS) $(PEERS_DBIDL_GEN) $(PEERS_GDBUS_GEN) $(PEERS_SDBUSCPP_GEN) \
	tests/bench/peers/gen/bench-peers.stamp tests/bench/peers/gen/org.dbidl.BenchPeers1.xml \
	tests/bench/peers/gen/sdbuscpp.log
EXTRA_DIST += tests/bench/peers/bench-peers.idl tests/bench/peers/run.sh

# make bench-peers: every workload of every available contender, through the bus and peer-to-peer
# (tests/bench/peers/run.sh; REPS, RUN_SECONDS, PEERS_WORKLOADS, START_RUNS and RSS_CALLS change the run).  A
# benchmark, not a test.
bench-peers: $(PEERS_BINS)
	$(AM_V_at)top_builddir='$(abs_top_builddir)' \
		PEERS_HAVE_GDBUS='$(HAVE_PEERS_GDBUS)' PEERS_HAVE_SDBUSCPP='$(HAVE_PEERS_SDBUSCPP)' \
		PEERS_HAVE_STATIC='$(HAVE_LIBDBIDL_A)' \
		bash $(top_srcdir)/tests/bench/peers/run.sh
.PHONY: bench-peers
