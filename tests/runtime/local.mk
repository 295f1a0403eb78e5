# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/runtime/local.mk — build and test rules
