# SPDX-License-Identifier: LGPL-2.1-or-later
# examples/media-player/local.mk — build and test rules
