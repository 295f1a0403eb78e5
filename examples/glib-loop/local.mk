# SPDX-License-Identifier: LGPL-2.1-or-later
# examples/glib-loop/local.mk — build and test rules

## glib-loop: a dbidl service in a GLib main loop, through dbidl_bus_get_poll() and dbidl_bus_dispatch()
examples/glib-loop/glib-demo.stamp: examples/glib-loop/glib-demo.idl dbidlc$(EXEEXT)
	$(DBIDLC_RUN)
examples/glib-loop/glib-demo.h examples/glib-loop/glib-demo-client.c examples/glib-loop/glib-demo-server.c: examples/glib-loop/glib-demo.stamp
	@:
GLIB_LOOP_GEN = examples/glib-loop/glib-demo.h examples/glib-loop/glib-demo-client.c examples/glib-loop/glib-demo-server.c

noinst_PROGRAMS += examples/glib-loop/glib-service
examples_glib_loop_glib_service_SOURCES = examples/glib-loop/glib-service.c
nodist_examples_glib_loop_glib_service_SOURCES = examples/glib-loop/glib-demo.h examples/glib-loop/glib-demo-server.c
examples_glib_loop_glib_service_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/examples/glib-loop
examples_glib_loop_glib_service_CFLAGS = $(EXAMPLE_CFLAGS) $(GLIB_CFLAGS)
examples_glib_loop_glib_service_LDADD = $(EXAMPLE_LIBS) $(GLIB_LIBS)
# so that `make examples/glib-loop/glib-service` alone generates the header first (BUILT_SOURCES only acts for all/check)
examples/glib-loop/glib_service-glib-service.$(OBJEXT): examples/glib-loop/glib-demo.h

BUILT_SOURCES += $(GLIB_LOOP_GEN)
CLEANFILES += $(GLIB_LOOP_GEN) examples/glib-loop/glib-demo.stamp
EXTRA_DIST += \
	examples/glib-loop/glib-demo.idl \
	examples/glib-loop/README.md

# the integration test: gdbus and busctl against glib-service on a private bus
TESTS += tests/integration/glib-loop.sh
EXTRA_DIST += tests/integration/glib-loop.sh
