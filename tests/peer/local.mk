# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/peer/local.mk — peer-to-peer: peer-server and peer-client from peer.idl, driven by peer.sh without a bus daemon

tests/peer/peer.stamp: tests/peer/peer.idl dbidlc$(EXEEXT)
	$(DBIDLC_RUN)
tests/peer/peer.h tests/peer/peer-client.c tests/peer/peer-server.c: tests/peer/peer.stamp
	@:
PEER_TEST_GEN = tests/peer/peer.h tests/peer/peer-client.c tests/peer/peer-server.c

# (the generated files are peer-client.c and peer-server.c in the build directory; the test programs' own
# sources are tests/peer/peer-test-client.c and peer-test-server.c)
check_PROGRAMS += tests/peer/peer-server tests/peer/peer-client
tests_peer_peer_server_SOURCES = tests/peer/peer-test-server.c
nodist_tests_peer_peer_server_SOURCES = tests/peer/peer.h tests/peer/peer-server.c
tests_peer_peer_server_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/tests/peer
tests_peer_peer_server_CFLAGS = $(EXAMPLE_CFLAGS)
tests_peer_peer_server_LDADD = $(EXAMPLE_LIBS)
tests_peer_peer_client_SOURCES = tests/peer/peer-test-client.c
nodist_tests_peer_peer_client_SOURCES = tests/peer/peer.h tests/peer/peer-client.c
tests_peer_peer_client_CPPFLAGS = $(tests_peer_peer_server_CPPFLAGS)
tests_peer_peer_client_CFLAGS = $(EXAMPLE_CFLAGS)
tests_peer_peer_client_LDADD = $(EXAMPLE_LIBS)
tests/peer/peer_server-peer-test-server.$(OBJEXT) tests/peer/peer_client-peer-test-client.$(OBJEXT): tests/peer/peer.h

BUILT_SOURCES += $(PEER_TEST_GEN)
CLEANFILES += $(PEER_TEST_GEN) tests/peer/peer.stamp

TESTS += tests/peer/peer.sh
EXTRA_DIST += tests/peer/peer.idl tests/peer/peer.sh
