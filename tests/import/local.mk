# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/import/local.mk — importing D-Bus introspection XML: installed interface files, round trips, invalid documents, live services

# import-xml.sh: /usr/share/dbus-1/interfaces/*.xml and tests/xml/good through --import-xml and the C back end (strict
# C11, C++17), IDL → XML → IDL fixed points, XML → IDL → XML round trips (import-xml.py), tests/xml/bad with their
# expected diagnostics, tests/xml/front-end (the front end's diagnostics located in the XML).  import-live.sh:
# --import-bus against the bus driver and python-dbusmock services on a private bus, each called from its
# tests/import/*.c program built with the generated client code; lockdown-mock.c also serves property names with '-'
# through the generated skeleton, which leaves them out.
IMPORT_TESTS = \
	tests/integration/import-xml.sh \
	tests/integration/import-live.sh
TESTS += $(IMPORT_TESTS)
EXTRA_DIST += $(IMPORT_TESTS) \
	tests/integration/import-xml.py \
	tests/integration/import-live.py \
	tests/import/bus-driver.c \
	tests/import/notify-mock.c \
	tests/import/upower-mock.c \
	tests/import/lockdown-mock.c \
	tests/xml
