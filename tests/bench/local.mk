# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/bench/local.mk — benchmarks (not tests): generated stubs against hand-written sd-bus
