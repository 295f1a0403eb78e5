# SPDX-License-Identifier: LGPL-2.1-or-later
# examples/glib-loop/local.mk — build and test rules
