# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/local.mk — integration tests on a private bus, strict compilation of every .idl, shared test helpers

INTEGRATION_TESTS = \
	tests/integration/strict-compile.sh \
	tests/integration/calculator.sh \
	tests/integration/notifications.sh \
	tests/integration/cli.sh \
	tests/integration/outputs.sh
TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += $(INTEGRATION_TESTS) tests/integration/calculator.py \
	tests/lib/bus.sh tests/lib/valgrind-wrapper
