# SPDX-License-Identifier: LGPL-2.1-or-later
# examples/types/local.mk — the types example: every D-Bus type echoed by a generated service

examples/types/types.stamp: examples/types/types.idl dbidlc$(EXEEXT)
	$(DBIDLC_RUN)
examples/types/types.h examples/types/types-client.c examples/types/types-server.c: examples/types/types.stamp
	@:
TYPES_GEN = examples/types/types.h examples/types/types-client.c examples/types/types-server.c

noinst_PROGRAMS += examples/types/types-service examples/types/types-client
examples_types_types_service_SOURCES = examples/types/service.c examples/types/copy.h
nodist_examples_types_types_service_SOURCES = examples/types/types.h examples/types/types-server.c
examples_types_types_service_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/examples/types
examples_types_types_service_CFLAGS = $(EXAMPLE_CFLAGS)
examples_types_types_service_LDADD = $(EXAMPLE_LIBS)
examples_types_types_client_SOURCES = examples/types/client.c
nodist_examples_types_types_client_SOURCES = examples/types/types.h examples/types/types-client.c
examples_types_types_client_CPPFLAGS = $(examples_types_types_service_CPPFLAGS)
examples_types_types_client_CFLAGS = $(EXAMPLE_CFLAGS)
examples_types_types_client_LDADD = $(EXAMPLE_LIBS)

BUILT_SOURCES += $(TYPES_GEN)
CLEANFILES += $(TYPES_GEN) examples/types/types.stamp
EXTRA_DIST += \
	examples/types/types.idl \
	examples/types/README.md

# the integration test: the generated client, python3-dbus, gdbus and dbus-send against types-service
TESTS += tests/integration/types.sh
EXTRA_DIST += tests/integration/types.sh tests/integration/types-echo.py
