# SPDX-License-Identifier: LGPL-2.1-or-later
# examples/media-player/local.mk — build and test rules

## media-player: MPRIS 2 (org.mpris.MediaPlayer2, org.mpris.MediaPlayer2.Player) written as .idl
examples/media-player/mpris.stamp: examples/media-player/mpris.idl dbidlc$(EXEEXT)
	$(DBIDLC_RUN)
examples/media-player/mpris.h examples/media-player/mpris-client.c examples/media-player/mpris-server.c: examples/media-player/mpris.stamp
	@:
MEDIA_PLAYER_GEN = examples/media-player/mpris.h examples/media-player/mpris-client.c examples/media-player/mpris-server.c

noinst_PROGRAMS += examples/media-player/media-player
examples_media_player_media_player_SOURCES = examples/media-player/player.c
nodist_examples_media_player_media_player_SOURCES = examples/media-player/mpris.h examples/media-player/mpris-server.c
examples_media_player_media_player_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/examples/media-player
examples_media_player_media_player_CFLAGS = $(EXAMPLE_CFLAGS)
examples_media_player_media_player_LDADD = $(EXAMPLE_LIBS)
# so that `make examples/media-player/media-player` alone generates the header first (BUILT_SOURCES only acts for all/check)
examples/media-player/media_player-player.$(OBJEXT): examples/media-player/mpris.h

BUILT_SOURCES += $(MEDIA_PLAYER_GEN)
CLEANFILES += $(MEDIA_PLAYER_GEN) examples/media-player/mpris.stamp
EXTRA_DIST += \
	examples/media-player/mpris.idl \
	examples/media-player/README.md

# the integration test: playerctl, gdbus and dbus-send against media-player on a private bus
TESTS += tests/integration/media-player.sh
EXTRA_DIST += tests/integration/media-player.sh
