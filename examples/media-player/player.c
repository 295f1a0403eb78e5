/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/media-player/player.c — media-player: a fake MPRIS 2 player (org.mpris.MediaPlayer2 + .Player) over the generated skeletons */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-event.h>
#include <time.h>

#include "mpris.h"

#define MPRIS_PATH "/org/mpris/MediaPlayer2"
#define PLAYER_NAME "org.mpris.MediaPlayer2.dbidl_demo"
/* Track ids are object paths; MPRIS reserves /org/mpris for itself (NoTrack), so ours live elsewhere. */
#define TRACK_PATH "/org/dbidl/MediaPlayer/Track"
#define USEC_PER_SEC INT64_C(1000000)
#define MINIMUM_RATE 0.25
#define MAXIMUM_RATE 4.0
/* Length of a track opened with OpenUri: the demo does not read files. */
#define OPENED_TRACK_LENGTH (180 * USEC_PER_SEC)
/* The most tracks the playlist keeps: OpenUri drops the oldest to make room (README.md, "Limits"). */
#define MAX_TRACKS 1000
/* The longest URI OpenUri takes, in bytes: PATH_MAX, the longest path Linux's system calls take (README.md). */
#define MAX_URI_LENGTH 4096

typedef enum play_state {
        STATUS_STOPPED,
        STATUS_PLAYING,
        STATUS_PAUSED,
} play_state;

static const char *const status_names[] = {
        [STATUS_STOPPED] = "Stopped",
        [STATUS_PLAYING] = "Playing",
        [STATUS_PAUSED] = "Paused",
};

/* LoopStatus values (MPRIS "Loop_Status"): the only strings Set accepts. */
static const char *const loop_names[] = { "None", "Track", "Playlist" };
enum { LOOP_NONE, LOOP_TRACK, LOOP_PLAYLIST };

typedef struct track {
        char *trackid;          /* the "mpris:trackid" object path */
        char *title;
        int64_t length;         /* µs */
        dbidl_dict *metadata;   /* what the Metadata property returns while this is the current track */
} track;

typedef struct player {
        sd_bus *bus;
        sd_event *event;
        sd_event_source *end_timer;     /* fires when the current track ends; enabled only while Playing */
        sd_bus_slot *name_slot;         /* owns PLAYER_NAME */
        track *tracks;                  /* the playlist, oldest first; at most MAX_TRACKS */
        size_t n_tracks;
        size_t n_added;                 /* tracks added so far: the next one's id (TRACK_PATH/n_added) */
        size_t current;
        play_state status;
        /* The position is `position` µs at monotonic time `since` µs, advancing at `rate` while Playing. */
        int64_t position;
        uint64_t since;
        double rate;
        double volume;
        bool shuffle;
        int loop;
} player;

/* The fake playlist every run starts with. */
static const struct {
        const char *title;
        const char *artists[3];
        const char *album;
        int64_t seconds;
} builtin_tracks[] = {
        { "Signal and Slot", { "The Marshallers", NULL }, "Method Calls", 3 * 60 + 25 },
        { "Properties Changed", { "Ada Vtable", "The Introspectors", NULL }, "Method Calls", 4 * 60 + 2 },
        { "Well-Known Name", { "Unique Owner", NULL }, "Bus Daemon Blues", 2 * 60 + 47 },
        { "Match Rule", { "The Marshallers", NULL }, "Bus Daemon Blues", 5 * 60 + 13 },
};

static uint64_t now_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
}

/* "m:ss" for a time in µs, into a caller's buffer. */
static const char *format_time(int64_t usec, char buf[static 32]) {
        int64_t s = usec / USEC_PER_SEC;
        snprintf(buf, 32, "%" PRIi64 ":%02" PRIi64, s / 60, s % 60);
        return buf;
}

static track *current_track(player *p) {
        return &p->tracks[p->current];
}

/* The playback position now, in µs: it advances with the monotonic clock while Playing, at `rate`. */
static int64_t current_position(const player *p) {
        int64_t pos = p->position;
        if (p->status == STATUS_PLAYING)
                pos += (int64_t) ((double) (now_usec() - p->since) * p->rate);
        int64_t length = p->tracks[p->current].length;
        return pos > length ? length : pos;
}

/* Fold the time played so far into `position`, before status, rate or position change. */
static void settle_position(player *p) {
        p->position = current_position(p);
        p->since = now_usec();
}

static int on_track_end(sd_event_source *s, uint64_t usec, void *userdata);

/* Arm the end-of-track timer while Playing, disable it otherwise. */
static void update_timer(player *p) {
        int r;
        if (p->status != STATUS_PLAYING) {
                if (p->end_timer)
                        (void) sd_event_source_set_enabled(p->end_timer, SD_EVENT_OFF);
                return;
        }
        int64_t left = current_track(p)->length - p->position;
        uint64_t when = p->since + (uint64_t) ((double) (left > 0 ? left : 0) / p->rate);
        if (!p->end_timer)
                r = sd_event_add_time(p->event, &p->end_timer, CLOCK_MONOTONIC, when, 1000, on_track_end, p);
        else {
                r = sd_event_source_set_time(p->end_timer, when);
                if (r >= 0)
                        r = sd_event_source_set_enabled(p->end_timer, SD_EVENT_ONESHOT);
        }
        if (r < 0)
                fprintf(stderr, "media-player: cannot arm the end-of-track timer: %s\n", strerror(-r));
}

static void report(const char *what, int r) {
        if (r < 0)
                fprintf(stderr, "media-player: cannot emit %s: %s\n", what, strerror(-r));
}

static bool can_go_next(const player *p) {
        return p->current + 1 < p->n_tracks || p->loop == LOOP_PLAYLIST || (p->shuffle && p->n_tracks > 1);
}

static bool can_go_previous(const player *p) {
        return p->current > 0 || p->loop == LOOP_PLAYLIST;
}

/*
 * Emit PropertiesChanged for CanGoNext and CanGoPrevious where they differ
 * from the values before a change (they depend on the current track,
 * LoopStatus, Shuffle and the playlist's length).
 */
static void notify_navigation(player *p, bool old_next, bool old_previous) {
        if (can_go_next(p) != old_next)
                report("PropertiesChanged(CanGoNext)", mpris_player_notify_can_go_next(p->bus, MPRIS_PATH));
        if (can_go_previous(p) != old_previous)
                report("PropertiesChanged(CanGoPrevious)",
                       mpris_player_notify_can_go_previous(p->bus, MPRIS_PATH));
}

static void set_status(player *p, play_state s) {
        if (p->status == s)
                return;
        settle_position(p);
        p->status = s;
        if (s == STATUS_STOPPED)
                p->position = 0; /* Play after Stop starts the track from its beginning */
        update_timer(p);
        printf("%s\n", status_names[s]);
        report("PropertiesChanged(PlaybackStatus)", mpris_player_notify_playback_status(p->bus, MPRIS_PATH));
}

/* Make track `index` current, at its start; the playback status stays as it is. */
static void go_to(player *p, size_t index) {
        bool old_next = can_go_next(p), old_previous = can_go_previous(p);
        char len[32];
        p->current = index;
        p->position = 0;
        p->since = now_usec();
        update_timer(p);
        printf("track %zu/%zu: \"%s\" (%s)\n", index + 1, p->n_tracks, p->tracks[index].title,
               format_time(p->tracks[index].length, len));
        report("PropertiesChanged(Metadata)", mpris_player_notify_metadata(p->bus, MPRIS_PATH));
        notify_navigation(p, old_next, old_previous);
}

/* Jump to `position` µs in the current track and tell clients with Seeked. */
static void seek_to(player *p, int64_t position) {
        char buf[32];
        p->position = position;
        p->since = now_usec();
        update_timer(p);
        printf("position %s\n", format_time(position, buf));
        report("Seeked", mpris_player_emit_seeked(p->bus, MPRIS_PATH, position));
}

static size_t random_other_track(const player *p) {
        return (p->current + 1 + (size_t) rand() % (p->n_tracks - 1)) % p->n_tracks;
}

/* Next, and the end of a track: the next track, or what LoopStatus says when there is none. */
static void next_track(player *p) {
        if (p->shuffle && p->n_tracks > 1)
                go_to(p, random_other_track(p));
        else if (p->current + 1 < p->n_tracks)
                go_to(p, p->current + 1);
        else if (p->loop == LOOP_PLAYLIST)
                go_to(p, 0);
        else if (p->loop == LOOP_TRACK)
                seek_to(p, 0);
        else
                set_status(p, STATUS_STOPPED); /* the end of the playlist */
}

static int on_track_end(sd_event_source *s, uint64_t usec, void *userdata) {
        player *p = userdata;
        (void) s;
        (void) usec;
        printf("end of \"%s\"\n", current_track(p)->title);
        settle_position(p);
        if (p->loop == LOOP_TRACK)
                seek_to(p, 0);
        else
                next_track(p);
        return 0;
}

/* ---- org.mpris.MediaPlayer2 ---- */

static int on_raise(sd_bus_message *call, void *userdata, sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        (void) ret_error;
        printf("Raise: there is no window to raise (CanRaise is false)\n");
        return 0;
}

static int on_quit(sd_bus_message *call, void *userdata, sd_bus_error *ret_error) {
        player *p = userdata;
        (void) call;
        (void) ret_error;
        printf("Quit\n");
        /* The reply is queued now; dbidl_bus_run() returns after this iteration and main() flushes it. */
        return sd_event_exit(p->event, 0);
}

static int get_true(void *userdata, bool *ret_value, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_error;
        *ret_value = true;
        return 0;
}

static int get_false(void *userdata, bool *ret_value, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_error;
        *ret_value = false;
        return 0;
}

static int dup_into(char **ret, const char *s) {
        *ret = strdup(s);
        return *ret ? 0 : -ENOMEM;
}

static int get_identity(void *userdata, char **ret_value, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_error;
        return dup_into(ret_value, "dbidl demo player");
}

static int get_desktop_entry(void *userdata, char **ret_value, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_error;
        return dup_into(ret_value, "dbidl-media-player");
}

/* A new NULL-terminated copy of `items`, handed to the skeleton (which frees it with dbidl_strv_free()). */
static int strv_into(char ***ret, const char *const *items, size_t n) {
        char **v = calloc(n + 1, sizeof(char *));
        if (!v)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                if (!(v[i] = strdup(items[i]))) {
                        dbidl_strv_free(v);
                        return -ENOMEM;
                }
        *ret = v;
        return 0;
}

static const char *const uri_schemes[] = { "file" };
static const char *const mime_types[] = { "audio/mpeg", "audio/ogg", "audio/flac", "audio/x-wav" };

static int get_supported_uri_schemes(void *userdata, char ***ret_value, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_error;
        return strv_into(ret_value, uri_schemes, sizeof(uri_schemes) / sizeof(uri_schemes[0]));
}

static int get_supported_mime_types(void *userdata, char ***ret_value, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_error;
        return strv_into(ret_value, mime_types, sizeof(mime_types) / sizeof(mime_types[0]));
}

static const mpris_handlers root_handlers = {
        .handle_raise = on_raise,
        .handle_quit = on_quit,
        .get_can_quit = get_true,
        .get_can_raise = get_false,
        .get_has_track_list = get_false,
        .get_identity = get_identity,
        .get_desktop_entry = get_desktop_entry,
        .get_supported_uri_schemes = get_supported_uri_schemes,
        .get_supported_mime_types = get_supported_mime_types,
};

/* ---- org.mpris.MediaPlayer2.Player: methods ---- */

static int on_next(sd_bus_message *call, void *userdata, sd_bus_error *ret_error) {
        player *p = userdata;
        (void) call;
        (void) ret_error;
        printf("Next\n");
        next_track(p);
        return 0;
}

static int on_previous(sd_bus_message *call, void *userdata, sd_bus_error *ret_error) {
        player *p = userdata;
        (void) call;
        (void) ret_error;
        printf("Previous\n");
        if (p->current > 0)
                go_to(p, p->current - 1);
        else if (p->loop == LOOP_PLAYLIST)
                go_to(p, p->n_tracks - 1);
        else if (p->loop == LOOP_TRACK)
                seek_to(p, 0);
        else
                set_status(p, STATUS_STOPPED); /* there is no previous track */
        return 0;
}

static int on_pause(sd_bus_message *call, void *userdata, sd_bus_error *ret_error) {
        player *p = userdata;
        (void) call;
        (void) ret_error;
        printf("Pause\n");
        if (p->status == STATUS_PLAYING)
                set_status(p, STATUS_PAUSED);
        return 0;
}

static int on_play(sd_bus_message *call, void *userdata, sd_bus_error *ret_error) {
        player *p = userdata;
        (void) call;
        (void) ret_error;
        printf("Play\n");
        set_status(p, STATUS_PLAYING);
        return 0;
}

static int on_play_pause(sd_bus_message *call, void *userdata, sd_bus_error *ret_error) {
        player *p = userdata;
        (void) call;
        (void) ret_error;
        printf("PlayPause\n");
        set_status(p, p->status == STATUS_PLAYING ? STATUS_PAUSED : STATUS_PLAYING);
        return 0;
}

static int on_stop(sd_bus_message *call, void *userdata, sd_bus_error *ret_error) {
        player *p = userdata;
        (void) call;
        (void) ret_error;
        printf("Stop\n");
        set_status(p, STATUS_STOPPED);
        return 0;
}

static int on_seek(sd_bus_message *call, void *userdata, int64_t Offset, sd_bus_error *ret_error) {
        player *p = userdata;
        (void) call;
        (void) ret_error;
        printf("Seek(%+" PRIi64 " µs)\n", Offset);
        int64_t pos = current_position(p);
        /* MPRIS: before the start means the start; beyond the end acts like Next. */
        if (Offset > current_track(p)->length - pos)
                next_track(p);
        else
                seek_to(p, Offset < -pos ? 0 : pos + Offset);
        return 0;
}

static int on_set_position(sd_bus_message *call, void *userdata, const char *TrackId, int64_t Position,
                           sd_bus_error *ret_error) {
        player *p = userdata;
        (void) call;
        (void) ret_error;
        printf("SetPosition(%s, %" PRIi64 " µs)\n", TrackId, Position);
        /* MPRIS: a stale track id, or a position outside the track, is ignored. */
        if (strcmp(TrackId, current_track(p)->trackid) != 0)
                printf("  ignored: %s is not the current track\n", TrackId);
        else if (Position < 0 || Position > current_track(p)->length)
                printf("  ignored: the position is outside the track\n");
        else
                seek_to(p, Position);
        return 0;
}

static int add_track(player *p, const char *title, const char *const *artists, const char *album, const char *url,
                     int64_t length);

static int on_open_uri(sd_bus_message *call, void *userdata, const char *Uri, sd_bus_error *ret_error) {
        player *p = userdata;
        (void) call;
        size_t uri_length = strlen(Uri);
        if (uri_length > MAX_URI_LENGTH) {
                printf("OpenUri(a URI of %zu bytes): refused, longer than %d bytes\n", uri_length, MAX_URI_LENGTH);
                return dbidl_error_set(ret_error, SD_BUS_ERROR_LIMITS_EXCEEDED,
                                       "The URI has %zu bytes; OpenUri takes URIs of at most %d bytes", uri_length,
                                       MAX_URI_LENGTH);
        }
        printf("OpenUri(%s)\n", Uri);
        if (strncmp(Uri, "file://", 7) != 0)
                return dbidl_error_set(ret_error, SD_BUS_ERROR_NOT_SUPPORTED,
                                       "Only file:// URIs are supported (SupportedUriSchemes), not %s", Uri);
        const char *name = strrchr(Uri + 7, '/');
        name = name ? name + 1 : Uri + 7;
        if (!*name)
                return dbidl_error_invalid_args(ret_error, "%s does not name a file", Uri);
        static const char *const unknown[] = { "Unknown artist", NULL };
        int r = add_track(p, name, unknown, "", Uri, OPENED_TRACK_LENGTH);
        if (r < 0)
                return r;
        go_to(p, p->n_tracks - 1); /* also when add_track() dropped the track that was current */
        set_status(p, STATUS_PLAYING);
        return 0;
}

/* ---- org.mpris.MediaPlayer2.Player: properties ---- */

static int get_playback_status(void *userdata, char **ret_value, sd_bus_error *ret_error) {
        player *p = userdata;
        (void) ret_error;
        return dup_into(ret_value, status_names[p->status]);
}

static int get_loop_status(void *userdata, char **ret_value, sd_bus_error *ret_error) {
        player *p = userdata;
        (void) ret_error;
        return dup_into(ret_value, loop_names[p->loop]);
}

static int set_loop_status(void *userdata, const char *value, sd_bus_error *ret_error) {
        player *p = userdata;
        for (int i = 0; i < (int) (sizeof(loop_names) / sizeof(loop_names[0])); i++)
                if (strcmp(value, loop_names[i]) == 0) {
                        bool old_next = can_go_next(p), old_previous = can_go_previous(p);
                        printf("LoopStatus = %s\n", value);
                        p->loop = i;
                        notify_navigation(p, old_next, old_previous);
                        return 0; /* the skeleton emits PropertiesChanged for LoopStatus */
                }
        return dbidl_error_invalid_args(ret_error, "LoopStatus must be \"None\", \"Track\" or \"Playlist\", not \"%s\"",
                                        value);
}

static int get_rate(void *userdata, double *ret_value, sd_bus_error *ret_error) {
        player *p = userdata;
        (void) ret_error;
        *ret_value = p->rate;
        return 0;
}

static int set_rate(void *userdata, double value, sd_bus_error *ret_error) {
        player *p = userdata;
        if (value == 0.0) {
                /* MPRIS: a client should not set 0.0; if one does, act as though Pause was called. */
                printf("Rate = 0: pausing\n");
                if (p->status == STATUS_PLAYING)
                        set_status(p, STATUS_PAUSED);
                return 0;
        }
        if (!(value >= MINIMUM_RATE && value <= MAXIMUM_RATE)) /* also refuses NaN */
                return dbidl_error_invalid_args(ret_error, "Rate must lie in [%g, %g], not %g", MINIMUM_RATE,
                                                MAXIMUM_RATE, value);
        settle_position(p);
        p->rate = value;
        update_timer(p);
        printf("Rate = %g\n", value);
        return 0;
}

static int get_shuffle(void *userdata, bool *ret_value, sd_bus_error *ret_error) {
        player *p = userdata;
        (void) ret_error;
        *ret_value = p->shuffle;
        return 0;
}

static int set_shuffle(void *userdata, bool value, sd_bus_error *ret_error) {
        player *p = userdata;
        (void) ret_error;
        bool old_next = can_go_next(p), old_previous = can_go_previous(p);
        printf("Shuffle = %s\n", value ? "true" : "false");
        p->shuffle = value;
        notify_navigation(p, old_next, old_previous);
        return 0;
}

static int get_metadata(void *userdata, dbidl_dict **ret_value, sd_bus_error *ret_error) {
        player *p = userdata;
        (void) ret_error;
        *ret_value = dbidl_dict_ref(current_track(p)->metadata); /* the skeleton drops this reference */
        return 0;
}

static int get_volume(void *userdata, double *ret_value, sd_bus_error *ret_error) {
        player *p = userdata;
        (void) ret_error;
        *ret_value = p->volume;
        return 0;
}

static int set_volume(void *userdata, double value, sd_bus_error *ret_error) {
        player *p = userdata;
        if (isnan(value))
                return dbidl_error_invalid_args(ret_error, "Volume must be a number, not NaN");
        /* MPRIS: a negative volume means 0.0; we also cap it at 1.0 (full volume, no amplification). */
        p->volume = value < 0.0 ? 0.0 : value > 1.0 ? 1.0 : value;
        if (p->volume != value)
                printf("Volume = %g (asked for %g)\n", p->volume, value);
        else
                printf("Volume = %g\n", p->volume);
        return 0; /* the skeleton emits PropertiesChanged with the value get_volume reads back */
}

static int get_position(void *userdata, int64_t *ret_value, sd_bus_error *ret_error) {
        player *p = userdata;
        (void) ret_error;
        *ret_value = current_position(p);
        return 0;
}

static int get_minimum_rate(void *userdata, double *ret_value, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_error;
        *ret_value = MINIMUM_RATE;
        return 0;
}

static int get_maximum_rate(void *userdata, double *ret_value, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_error;
        *ret_value = MAXIMUM_RATE;
        return 0;
}

static int get_can_go_next(void *userdata, bool *ret_value, sd_bus_error *ret_error) {
        (void) ret_error;
        *ret_value = can_go_next(userdata);
        return 0;
}

static int get_can_go_previous(void *userdata, bool *ret_value, sd_bus_error *ret_error) {
        (void) ret_error;
        *ret_value = can_go_previous(userdata);
        return 0;
}

static const mpris_player_handlers player_handlers = {
        .handle_next = on_next,
        .handle_previous = on_previous,
        .handle_pause = on_pause,
        .handle_play_pause = on_play_pause,
        .handle_stop = on_stop,
        .handle_play = on_play,
        .handle_seek = on_seek,
        .handle_set_position = on_set_position,
        .handle_open_uri = on_open_uri,
        .get_playback_status = get_playback_status,
        .get_loop_status = get_loop_status,
        .set_loop_status = set_loop_status,
        .get_rate = get_rate,
        .set_rate = set_rate,
        .get_shuffle = get_shuffle,
        .set_shuffle = set_shuffle,
        .get_metadata = get_metadata,
        .get_volume = get_volume,
        .set_volume = set_volume,
        .get_position = get_position,
        .get_minimum_rate = get_minimum_rate,
        .get_maximum_rate = get_maximum_rate,
        .get_can_go_next = get_can_go_next,
        .get_can_go_previous = get_can_go_previous,
        /* the playlist is never empty: one can always play, pause and seek */
        .get_can_play = get_true,
        .get_can_pause = get_true,
        .get_can_seek = get_true,
        .get_can_control = get_true,
};

/* ---- the playlist ---- */

static void track_clear(track *t) {
        free(t->trackid);
        free(t->title);
        dbidl_dict_unref(t->metadata);
        *t = (track) { 0 };
}

/*
 * Append a track with its Metadata: mpris:trackid (o), mpris:length (x), xesam:title, xesam:artist (as), …
 * When the playlist holds MAX_TRACKS already, the oldest track goes first, and with it its id (SetPosition
 * ignores it from then on); the caller makes a new track current if that one was (OpenUri makes the new one
 * current in any case).  Track ids count every track added, so they never change and are never reused.
 */
static int add_track(player *p, const char *title, const char *const *artists, const char *album, const char *url,
                     int64_t length) {
        track t = { .length = length };
        int r = -ENOMEM;

        if (asprintf(&t.trackid, TRACK_PATH "/%zu", p->n_added) < 0) {
                t.trackid = NULL;
                goto fail;
        }
        if (!(t.title = strdup(title)))
                goto fail;
        r = dbidl_dict_new(&t.metadata);
        if (r >= 0)
                r = dbidl_dict_set_objpath(t.metadata, "mpris:trackid", t.trackid);
        if (r >= 0)
                r = dbidl_dict_set_int64(t.metadata, "mpris:length", length);
        if (r >= 0)
                r = dbidl_dict_set_string(t.metadata, "xesam:title", title);
        if (r >= 0)
                r = dbidl_dict_set_strv(t.metadata, "xesam:artist", (char *const *) artists);
        if (r >= 0 && album[0])
                r = dbidl_dict_set_string(t.metadata, "xesam:album", album);
        if (r >= 0 && url)
                r = dbidl_dict_set_string(t.metadata, "xesam:url", url);
        if (r >= 0)
                r = dbidl_dict_set_int32(t.metadata, "xesam:trackNumber",
                                         p->n_added < INT32_MAX ? (int32_t) p->n_added + 1 : INT32_MAX);
        if (r < 0)
                goto fail;
        bool old_next = p->n_tracks > 0 && can_go_next(p), old_previous = p->n_tracks > 0 && can_go_previous(p);
        if (p->n_tracks < MAX_TRACKS) {
                track *grown = realloc(p->tracks, (p->n_tracks + 1) * sizeof(track));
                if (!grown) {
                        r = -ENOMEM;
                        goto fail;
                }
                p->tracks = grown;
        } else {
                printf("playlist full (%d tracks): dropping the oldest, \"%s\" (%s)\n", MAX_TRACKS,
                       p->tracks[0].title, p->tracks[0].trackid);
                track_clear(&p->tracks[0]);
                memmove(&p->tracks[0], &p->tracks[1], (p->n_tracks - 1) * sizeof(track));
                p->n_tracks--;
                if (p->current > 0)
                        p->current--;
        }
        p->tracks[p->n_tracks++] = t;
        p->n_added++;
        if (p->bus)
                notify_navigation(p, old_next, old_previous);
        return 0;
fail:
        track_clear(&t);
        return r;
}

static void on_name(sd_bus *bus, const char *name, int acquired, void *userdata) {
        player *p = userdata;
        (void) bus;
        if (acquired) {
                printf("media-player: serving %s at %s (playerctl -p dbidl_demo …)\n", name, MPRIS_PATH);
                return;
        }
        fprintf(stderr, "media-player: %s is owned by another player, or was lost; exiting\n", name);
        (void) sd_event_exit(p->event, 1);
}

int main(int argc, char **argv) {
        player p = { .rate = 1.0, .volume = 0.8, .loop = LOOP_NONE };
        int r;

        if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
                printf("Usage: media-player\n"
                       "A fake MPRIS 2 media player: serve org.mpris.MediaPlayer2 and org.mpris.MediaPlayer2.Player\n"
                       "at %s as %s on the session bus until Quit, SIGTERM or SIGINT.\n"
                       "Try: playerctl -p dbidl_demo play; playerctl -p dbidl_demo metadata\n",
                       MPRIS_PATH, PLAYER_NAME);
                return 0;
        }
        setvbuf(stdout, NULL, _IOLBF, 0);
        srand((unsigned) now_usec());

        for (size_t i = 0; i < sizeof(builtin_tracks) / sizeof(builtin_tracks[0]); i++) {
                r = add_track(&p, builtin_tracks[i].title, builtin_tracks[i].artists, builtin_tracks[i].album,
                              NULL, builtin_tracks[i].seconds * USEC_PER_SEC);
                if (r < 0) {
                        fprintf(stderr, "media-player: cannot build the playlist: %s\n", strerror(-r));
                        goto out;
                }
        }

        r = sd_event_default(&p.event);
        if (r >= 0)
                r = dbidl_bus_open_session(&p.bus);
        if (r < 0) {
                fprintf(stderr, "media-player: cannot connect to the session bus: %s\n", strerror(-r));
                goto out;
        }
        r = mpris_export(p.bus, MPRIS_PATH, &root_handlers, &p, NULL);
        if (r >= 0)
                r = mpris_player_export(p.bus, MPRIS_PATH, &player_handlers, &p, NULL);
        if (r < 0) {
                fprintf(stderr, "media-player: cannot export %s: %s\n", MPRIS_PATH, strerror(-r));
                goto out;
        }
        /* MPRIS lets a second instance own "….instance<pid>"; this demo runs once and says so instead (on_name). */
        r = dbidl_bus_own_name(p.bus, PLAYER_NAME, 0, on_name, &p, &p.name_slot);
        if (r < 0) {
                fprintf(stderr, "media-player: cannot request %s: %s\n", PLAYER_NAME, strerror(-r));
                goto out;
        }
        char len[32];
        printf("playlist of %zu tracks; track 1: \"%s\" (%s); Stopped\n", p.n_tracks, p.tracks[0].title,
               format_time(p.tracks[0].length, len));
        r = dbidl_bus_run(p.bus, p.event);
        if (r < 0)
                fprintf(stderr, "media-player: event loop failed: %s\n", strerror(-r));
        else
                printf("media-player: exiting\n");
out:
        sd_event_source_disable_unref(p.end_timer);
        sd_bus_slot_unref(p.name_slot);
        sd_bus_flush_close_unref(p.bus);
        sd_event_unref(p.event);
        for (size_t i = 0; i < p.n_tracks; i++)
                track_clear(&p.tracks[i]);
        free(p.tracks);
        return r < 0 || r == 1 ? 1 : 0;
}
