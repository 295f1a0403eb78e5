# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/local.mk — integration tests on a private bus, strict compilation of every .idl and of random ones, shared test helpers

INTEGRATION_TESTS = \
	tests/integration/bus-helpers.sh \
	tests/integration/strict-compile.sh \
	tests/integration/calculator.sh \
	tests/integration/notifications.sh \
	tests/integration/cli.sh \
	tests/integration/outputs.sh \
	tests/integration/random-idl.sh \
	tests/integration/hostile.sh \
	tests/integration/dying-peers.sh \
	tests/integration/big-inputs.sh \
	tests/integration/fortune.sh
TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += $(INTEGRATION_TESTS) tests/integration/calculator.py tests/gen/random-idl.py \
	tests/integration/hostile.py tests/integration/dying-peers.py tests/integration/big-inputs.py tests/lib/bus.sh tests/lib/valgrind-wrapper
