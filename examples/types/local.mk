# SPDX-License-Identifier: LGPL-2.1-or-later
# examples/types/local.mk — the types example: every D-Bus type echoed by a generated service
