/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/bench/peers/peers.h — what the bench-peers programs share: names, the client's contender table, helpers */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PEERS_INTERFACE "org.dbidl.BenchPeers1"
#define PEERS_PATH "/org/dbidl/BenchPeers1"

/* One element of Structs' array, in the form the workload builds before it hands it to a contender. */
typedef struct peers_item {
        int32_t id;
        const char *name;
        double value;
} peers_item;

/* The signals of one Burst as a contender's slot sees them: peers_tick() counts them. */
typedef struct peers_ticks {
        uint32_t expected; /* the next seq */
        uint32_t received; /* in order */
        uint32_t wrong;    /* a seq below the next one (repeated or out of order) */
        double last;       /* when the last one arrived (peers_now()) */
} peers_ticks;

/*
 * One contender's client side.  Every call blocks in the tool's own blocking API, checks nothing itself except
 * where the reply is only lent (echo: the op compares the bytes before it lets the reply go) and returns 0;
 * on a failed call it prints why (to stderr) and returns -1; echo returns 1 for a wrong echo.  `c` is what
 * connect returned.  The *_prepare ops turn the workload's input into the tool's own form once, before the
 * timed calls (a GVariant, a std::vector, a generated array); NULL if the tool uses the C form as it is.
 */
typedef struct peers_ops {
        const char *name;
        /* bus_name on the bus from DBUS_SESSION_BUS_ADDRESS, or address peer-to-peer (the other one NULL) */
        int (*connect)(const char *bus_name, const char *address, void **ret);
        void (*disconnect)(void *c);
        int (*ping)(void *c, int32_t x, int32_t *ret_y);
        int (*echo_prepare)(void *c, const char *s, size_t len);
        int (*echo)(void *c, const char *s, size_t len);
        void (*echo_release)(void *c); /* frees what echo_prepare made */
        int (*sum_prepare)(void *c, const int32_t *v, size_t n);
        int (*sum)(void *c, const int32_t *v, size_t n, int64_t *ret_total);
        int (*structs_prepare)(void *c, const peers_item *v, size_t n);
        int (*structs)(void *c, const peers_item *v, size_t n, uint32_t *ret_n, int64_t *ret_total);
        /* subscribe (if not yet), call Burst(n, size), then dispatch until n signals or `timeout` seconds */
        int (*burst)(void *c, uint32_t n, uint32_t size, double timeout, peers_ticks *t);
        /* rss4m, after the burst: `seconds` in the tool's own event loop with nothing to do; NULL: the tool has no
         * loop of its own in this client, and the client sleeps */
        int (*idle)(void *c, double seconds);
} peers_ops;

/* Each client program defines this: its contender, or (borrowed) its zero-copy variant; NULL if it has none. */
const peers_ops *peers_contender(bool borrowed);

/* Helpers (peers-common.c). */
double peers_now(void);
/* count one signal into t; its slot calls this */
void peers_tick(peers_ticks *t, uint32_t seq);
/* 0 if got (got_len bytes, or up to its NUL if got_len is SIZE_MAX) is s; else prints the difference, 1 */
int peers_check_echo(const char *what, const char *s, size_t len, const char *got, size_t got_len);

#ifdef __cplusplus
}
#endif
