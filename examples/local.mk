# SPDX-License-Identifier: LGPL-2.1-or-later
# examples/local.mk — the examples: bindings generated at build time by the freshly built dbidlc, services, clients

# Generate STEM.h, STEM-client.c and STEM-server.c beside the build's copy of the example.
# The stamp stands for all three files (one dbidlc run writes them together).
DBIDLC_RUN = $(AM_V_GEN)$(MKDIR_P) $(@D) && $(top_builddir)/dbidlc$(EXEEXT) -o $(@D) $< && touch $@

# Examples and their generated code are compiled with the strict flag set generated code promises.
EXAMPLE_CFLAGS = $(STRICT_CFLAGS) $(SYSTEMD_CFLAGS)
EXAMPLE_LIBS = libdbidl.la $(SYSTEMD_LIBS)

## calculator
examples/calculator/calculator.stamp: examples/calculator/calculator.idl dbidlc$(EXEEXT)
	$(DBIDLC_RUN)
examples/calculator/calculator.h examples/calculator/calculator-client.c examples/calculator/calculator-server.c: examples/calculator/calculator.stamp
	@:
CALCULATOR_GEN = examples/calculator/calculator.h examples/calculator/calculator-client.c examples/calculator/calculator-server.c

noinst_PROGRAMS += examples/calculator/calculator-service examples/calculator/calculator-client
examples_calculator_calculator_service_SOURCES = examples/calculator/service.c
nodist_examples_calculator_calculator_service_SOURCES = examples/calculator/calculator.h examples/calculator/calculator-server.c
examples_calculator_calculator_service_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/examples/calculator
examples_calculator_calculator_service_CFLAGS = $(EXAMPLE_CFLAGS)
examples_calculator_calculator_service_LDADD = $(EXAMPLE_LIBS)
examples_calculator_calculator_client_SOURCES = examples/calculator/client.c
nodist_examples_calculator_calculator_client_SOURCES = examples/calculator/calculator.h examples/calculator/calculator-client.c
examples_calculator_calculator_client_CPPFLAGS = $(examples_calculator_calculator_service_CPPFLAGS)
examples_calculator_calculator_client_CFLAGS = $(EXAMPLE_CFLAGS)
examples_calculator_calculator_client_LDADD = $(EXAMPLE_LIBS)

## notifications
examples/notifications/notifications.stamp: examples/notifications/notifications.idl dbidlc$(EXEEXT)
	$(DBIDLC_RUN)
examples/notifications/notifications.h examples/notifications/notifications-client.c examples/notifications/notifications-server.c: examples/notifications/notifications.stamp
	@:
NOTIFICATIONS_GEN = examples/notifications/notifications.h examples/notifications/notifications-client.c examples/notifications/notifications-server.c

noinst_PROGRAMS += examples/notifications/notification-daemon examples/notifications/notify-client
examples_notifications_notification_daemon_SOURCES = examples/notifications/daemon.c
nodist_examples_notifications_notification_daemon_SOURCES = examples/notifications/notifications.h examples/notifications/notifications-server.c
examples_notifications_notification_daemon_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/examples/notifications
examples_notifications_notification_daemon_CFLAGS = $(EXAMPLE_CFLAGS)
examples_notifications_notification_daemon_LDADD = $(EXAMPLE_LIBS)
examples_notifications_notify_client_SOURCES = examples/notifications/client.c
nodist_examples_notifications_notify_client_SOURCES = examples/notifications/notifications.h examples/notifications/notifications-client.c
examples_notifications_notify_client_CPPFLAGS = $(examples_notifications_notification_daemon_CPPFLAGS)
examples_notifications_notify_client_CFLAGS = $(EXAMPLE_CFLAGS)
examples_notifications_notify_client_LDADD = $(EXAMPLE_LIBS)

BUILT_SOURCES += $(CALCULATOR_GEN) $(NOTIFICATIONS_GEN)
CLEANFILES += $(CALCULATOR_GEN) $(NOTIFICATIONS_GEN) examples/calculator/calculator.stamp examples/notifications/notifications.stamp
EXTRA_DIST += \
	examples/calculator/calculator.idl \
	examples/calculator/README.md \
	examples/notifications/notifications.idl \
	examples/notifications/README.md \
	examples/demo.sh

# make demo: both services and their clients on a private session bus (or the running one).
demo: $(noinst_PROGRAMS)
	$(AM_V_at)top_builddir='$(abs_top_builddir)' $(SHELL) $(top_srcdir)/examples/demo.sh
.PHONY: demo

## fortune: Qt's Local Fortune example, peer-to-peer (dbidl_server), no bus daemon
examples/fortune/fortune.stamp: examples/fortune/fortune.idl dbidlc$(EXEEXT)
	$(DBIDLC_RUN)
examples/fortune/fortune.h examples/fortune/fortune-client.c examples/fortune/fortune-server.c: examples/fortune/fortune.stamp
	@:
FORTUNE_GEN = examples/fortune/fortune.h examples/fortune/fortune-client.c examples/fortune/fortune-server.c

noinst_PROGRAMS += examples/fortune/fortune-server examples/fortune/fortune-client
examples_fortune_fortune_server_SOURCES = examples/fortune/server.c
nodist_examples_fortune_fortune_server_SOURCES = examples/fortune/fortune.h examples/fortune/fortune-server.c
examples_fortune_fortune_server_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/examples/fortune
examples_fortune_fortune_server_CFLAGS = $(EXAMPLE_CFLAGS)
examples_fortune_fortune_server_LDADD = $(EXAMPLE_LIBS)
examples_fortune_fortune_client_SOURCES = examples/fortune/client.c
nodist_examples_fortune_fortune_client_SOURCES = examples/fortune/fortune.h examples/fortune/fortune-client.c
examples_fortune_fortune_client_CPPFLAGS = $(examples_fortune_fortune_server_CPPFLAGS)
examples_fortune_fortune_client_CFLAGS = $(EXAMPLE_CFLAGS)
examples_fortune_fortune_client_LDADD = $(EXAMPLE_LIBS)
examples/fortune/fortune_server-server.$(OBJEXT) examples/fortune/fortune_client-client.$(OBJEXT): examples/fortune/fortune.h

BUILT_SOURCES += $(FORTUNE_GEN)
CLEANFILES += $(FORTUNE_GEN) examples/fortune/fortune.stamp
EXTRA_DIST += examples/fortune/fortune.idl examples/fortune/README.md
