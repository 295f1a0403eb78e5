/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/runtime/rt-test-client.c — rt-client: the runtime's promises checked against rt-service, "ok N - …" each */

/*
 * Usage: rt-client [--kill-signal TERM|KILL] [--log FILE] -- SERVICE-COMMAND…
 *        rt-client --activate NAME
 *
 * The first form runs every check against org.dbidl.RuntimeTest1 (which must
 * be running), ending with the restart check: the service is killed (SIGKILL
 * by default) and SERVICE-COMMAND starts the next instance, which rt-client
 * stops with SIGTERM before it exits (its output goes to FILE if given).  The second form calls Double on NAME,
 * which is not running: D-Bus activation must start it.
 *
 * Every wait runs the buses through dbidl_bus_get_poll() and
 * dbidl_bus_dispatch() in a poll() loop of our own.  The last line is
 * "N passed, N failed"; the exit status is 1 if a check failed.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rt.h"

#define RT_PATH "/org/dbidl/RuntimeTest1"
#define RT_NAME "org.dbidl.RuntimeTest1"
#define OWNED_NAME "org.dbidl.RuntimeTest1.Owned"
#define SEC UINT64_C(1000000)
#define MSEC UINT64_C(1000)

static unsigned n_checks, n_failed;

static bool check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool check(bool ok, const char *fmt, ...) {
        va_list ap;
        n_checks++;
        if (!ok)
                n_failed++;
        printf("%s %u - ", ok ? "ok" : "not ok", n_checks);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
        return ok;
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...) {
        va_list ap;
        fputs("# ", stdout);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
}

static uint64_t now_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * SEC + (uint64_t) ts.tv_nsec / 1000u;
}

/* ---- the loop: every open bus through dbidl_bus_get_poll() / dbidl_bus_dispatch() ---- */

#define MAX_BUSES 4
static sd_bus *buses[MAX_BUSES];

static void loop_add(sd_bus *bus) {
        for (size_t i = 0; i < MAX_BUSES; i++)
                if (!buses[i]) {
                        buses[i] = bus;
                        return;
                }
        abort();
}

static void loop_remove(sd_bus *bus) {
        for (size_t i = 0; i < MAX_BUSES; i++)
                if (buses[i] == bus)
                        buses[i] = NULL;
}

/* One round: wait until a bus has something to do (or `deadline`), then dispatch every bus. */
static void iterate(uint64_t deadline) {
        struct pollfd fds[MAX_BUSES];
        sd_bus *polled[MAX_BUSES];
        size_t n = 0;
        uint64_t now = now_usec();
        uint64_t wait = deadline > now ? deadline - now : 0;

        for (size_t i = 0; i < MAX_BUSES; i++) {
                int fd;
                short events;
                uint64_t timeout;
                if (!buses[i])
                        continue;
                int r = dbidl_bus_get_poll(buses[i], &fd, &events, &timeout);
                if (r < 0) {
                        note("dbidl_bus_get_poll: %s", strerror(-r));
                        continue;
                }
                if (timeout < wait)
                        wait = timeout;
                fds[n] = (struct pollfd) { .fd = fd, .events = events };
                polled[n++] = buses[i];
        }
        /* round up: waking a little early would only spin */
        (void) poll(fds, n, (int) ((wait + 999) / 1000));
        for (size_t i = 0; i < n; i++) {
                int r = dbidl_bus_dispatch(polled[i]);
                if (r < 0)
                        note("dbidl_bus_dispatch: %s", strerror(-r));
        }
}

/* Run the loop until `cond` holds or `usec` have passed. */
#define WAIT_FOR(cond, usec)                                                     \
        do {                                                                     \
                uint64_t wait_deadline_ = now_usec() + (usec);                   \
                while (!(cond) && now_usec() < wait_deadline_)                   \
                        iterate(wait_deadline_);                                 \
        } while (0)

/* Run the loop for `usec`, whatever happens. */
static void settle(uint64_t usec) {
        uint64_t deadline = now_usec() + usec;
        while (now_usec() < deadline)
                iterate(deadline);
}

static const char *error_text(const sd_bus_error *e) {
        return e && e->name ? e->name : "(none)";
}

/* ---- async calls complete in order ---- */

#define N_ASYNC 20

typedef struct async_run {
        int order[N_ASYNC];
        int32_t results[N_ASYNC];
        int n_done;
        int n_errors;
} async_run;

typedef struct async_call {
        async_run *run;
        int index;
} async_call;

static void on_double_done(rt_proxy *proxy, const sd_bus_error *error, int32_t result, void *userdata) {
        async_call *c = userdata;
        (void) proxy;
        if (error) {
                c->run->n_errors++;
                note("Double #%d failed: %s", c->index, error_text(error));
        }
        if (c->run->n_done < N_ASYNC) {
                c->run->order[c->run->n_done] = c->index;
                c->run->results[c->run->n_done] = result;
        }
        c->run->n_done++;
}

static void test_async_order(rt_proxy *proxy) {
        async_run run = { .n_done = 0 };
        async_call calls[N_ASYNC];
        int r = 0;

        for (int i = 0; i < N_ASYNC && r >= 0; i++) {
                calls[i] = (async_call) { .run = &run, .index = i };
                r = rt_async_double(proxy, 100 + i, 0, on_double_done, &calls[i], NULL);
        }
        check(r >= 0, "20 async calls sent (%s)", r < 0 ? strerror(-r) : "0");
        WAIT_FOR(run.n_done >= N_ASYNC, 10 * SEC);
        check(run.n_done == N_ASYNC && run.n_errors == 0, "20 async callbacks ran, no errors (%d, %d errors)",
              run.n_done, run.n_errors);
        bool in_order = true, right = true;
        for (int i = 0; i < N_ASYNC && i < run.n_done; i++) {
                in_order = in_order && run.order[i] == i;
                right = right && run.results[i] == 2 * (100 + run.order[i]);
        }
        check(in_order, "async callbacks ran in the order the calls were made");
        check(right, "async results are right (Double(100 + i) = 2 * (100 + i))");
}

/* ---- empty arrays: never NULL (docs/c-api.md, "Empty arrays") ---- */

/* an empty string vector: { NULL }; an empty counted array: count 0 and a non-NULL pointer */
#define EMPTY_STRV(v) ((v) != NULL && (v)[0] == NULL)
#define EMPTY_COUNTED(p, n) ((p) != NULL && (n) == 0)

/* What the callbacks saw: one bit per argument, set when it was the empty array it should be. */
typedef struct empties {
        bool done;
        bool failed;
        unsigned ok;            /* bits of the arguments that were right */
        unsigned n_args;
} empties;

static void on_empty_arrays_done(rt_proxy *proxy, const sd_bus_error *error, char *const *strings,
                                 char *const *paths, char *const *sigs, const uint8_t *octets, size_t n_octets,
                                 const int32_t *numbers, size_t n_numbers, const bool *bits, size_t n_bits,
                                 const int *fds, size_t n_fds, dbidl_variant *const *variants, size_t n_variants,
                                 dbidl_dict *const *dicts, size_t n_dicts, const rt_PlaceArray *places,
                                 const rt_StringArrayArray *lists, const rt_ZoneArray *zones,
                                 const rt_StringInt32Dict *counts, const rt_Tags *tags, void *userdata) {
        empties *x = userdata;
        bool ok[] = {
                EMPTY_STRV(strings), EMPTY_STRV(paths), EMPTY_STRV(sigs), EMPTY_COUNTED(octets, n_octets),
                EMPTY_COUNTED(numbers, n_numbers), EMPTY_COUNTED(bits, n_bits), EMPTY_COUNTED(fds, n_fds),
                EMPTY_COUNTED(variants, n_variants), EMPTY_COUNTED(dicts, n_dicts),
                EMPTY_COUNTED(places->items, places->n), EMPTY_COUNTED(lists->items, lists->n),
                EMPTY_COUNTED(zones->items, zones->n), EMPTY_COUNTED(counts->items, counts->n),
                EMPTY_STRV(tags->names),
        };
        (void) proxy;
        x->done = true;
        x->failed = error != NULL;
        x->n_args = sizeof(ok) / sizeof(ok[0]);
        for (unsigned i = 0; i < x->n_args; i++)
                if (ok[i])
                        x->ok |= 1u << i;
        if (error)
                note("EmptyArrays (async) failed: %s", error_text(error));
}

static void on_emptied(rt_proxy *proxy, char *const *strings, const int32_t *numbers, size_t n_numbers,
                       const bool *bits, size_t n_bits, const int *fds, size_t n_fds, dbidl_variant *const *variants,
                       size_t n_variants, dbidl_dict *const *dicts, size_t n_dicts, const rt_PlaceArray *places,
                       void *userdata) {
        empties *x = userdata;
        bool ok[] = {
                EMPTY_STRV(strings),           EMPTY_COUNTED(numbers, n_numbers), EMPTY_COUNTED(bits, n_bits),
                EMPTY_COUNTED(fds, n_fds),     EMPTY_COUNTED(variants, n_variants),
                EMPTY_COUNTED(dicts, n_dicts), EMPTY_COUNTED(places->items, places->n),
        };
        (void) proxy;
        x->done = true;
        x->n_args = sizeof(ok) / sizeof(ok[0]);
        for (unsigned i = 0; i < x->n_args; i++)
                if (ok[i])
                        x->ok |= 1u << i;
}

static void test_empty_arrays(sd_bus *bus, rt_proxy *proxy) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        char **strings = NULL, **paths = NULL, **sigs = NULL;
        uint8_t *octets = NULL;
        int32_t *numbers = NULL;
        bool *bits = NULL;
        int *fds = NULL;
        dbidl_variant **variants = NULL;
        dbidl_dict **dicts = NULL;
        /* counts that are not 0 before the call: the call must set them */
        size_t n_octets = 7, n_numbers = 7, n_bits = 7, n_fds = 7, n_variants = 7, n_dicts = 7;
        rt_PlaceArray places;
        rt_StringArrayArray lists;
        rt_ZoneArray zones;
        rt_StringInt32Dict counts;
        rt_Tags tags;

        rt_PlaceArray_init(&places);
        rt_StringArrayArray_init(&lists);
        rt_ZoneArray_init(&zones);
        rt_StringInt32Dict_init(&counts);
        rt_Tags_init(&tags);
        int r = rt_call_empty_arrays(proxy, &strings, &paths, &sigs, &octets, &n_octets, &numbers, &n_numbers, &bits,
                                &n_bits, &fds, &n_fds, &variants, &n_variants, &dicts, &n_dicts, &places, &lists,
                                &zones, &counts, &tags, 5 * SEC, &error);
        check(r >= 0, "EmptyArrays (blocking) answers (%s)", r < 0 ? error_text(&error) : "ok");
        check(EMPTY_STRV(strings), "blocking: an empty string[] is { NULL }, not NULL");
        check(EMPTY_STRV(paths), "blocking: an empty objpath[] is { NULL }, not NULL");
        check(EMPTY_STRV(sigs), "blocking: an empty signature[] is { NULL }, not NULL");
        check(EMPTY_COUNTED(octets, n_octets), "blocking: an empty byte[] has count 0, non-NULL (%zu)", n_octets);
        check(EMPTY_COUNTED(numbers, n_numbers), "blocking: an empty int32[] has count 0, non-NULL (%zu)",
              n_numbers);
        check(EMPTY_COUNTED(bits, n_bits), "blocking: an empty bool[] has count 0, non-NULL (%zu)", n_bits);
        check(EMPTY_COUNTED(fds, n_fds), "blocking: an empty fd[] has count 0, non-NULL (%zu)", n_fds);
        check(EMPTY_COUNTED(variants, n_variants), "blocking: an empty variant[] has count 0, non-NULL (%zu)",
              n_variants);
        check(EMPTY_COUNTED(dicts, n_dicts), "blocking: an empty dict<string, variant>[] has count 0, non-NULL (%zu)",
              n_dicts);
        check(EMPTY_COUNTED(places.items, places.n), "blocking: an empty Place[] has n 0, non-NULL items");
        check(EMPTY_COUNTED(lists.items, lists.n), "blocking: an empty string[][] has n 0, non-NULL items");
        check(EMPTY_COUNTED(zones.items, zones.n), "blocking: an empty Zone[] has n 0, non-NULL items");
        check(EMPTY_COUNTED(counts.items, counts.n), "blocking: an empty dict<string, int32> has n 0, non-NULL items");
        check(EMPTY_STRV(tags.names), "blocking: an empty string[] inside a struct is { NULL }, not NULL");
        sd_bus_error_free(&error);
        dbidl_strv_free(strings);
        dbidl_strv_free(paths);
        dbidl_strv_free(sigs);
        free(octets);
        free(numbers);
        free(bits);
        dbidl_fd_array_free(fds, n_fds);
        dbidl_variant_array_free(variants, n_variants);
        dbidl_dict_array_free(dicts, n_dicts);
        rt_PlaceArray_clear(&places);
        rt_StringArrayArray_clear(&lists);
        rt_ZoneArray_clear(&zones);
        rt_StringInt32Dict_clear(&counts);
        rt_Tags_clear(&tags);

        /* the lent form: every empty output as the owned form gives it, the reply holding them */
        {
                char *const *ls = NULL, *const *lp = NULL, *const *lg = NULL;
                const uint8_t *lo = NULL;
                const int32_t *ln = NULL;
                const bool *lb = NULL;
                const int *lf = NULL;
                dbidl_variant *const *lv = NULL;
                dbidl_dict *const *ld = NULL;
                size_t n_lo = 7, n_ln = 7, n_lb = 7, n_lf = 7, n_lv = 7, n_ld = 7;
                const rt_PlaceArray *lplaces = NULL;
                const rt_StringArrayArray *llists = NULL;
                const rt_ZoneArray *lzones = NULL;
                const rt_StringInt32Dict *lcounts = NULL;
                const rt_Tags *ltags = NULL;
                dbidl_reply *reply = NULL;
                r = rt_borrow_empty_arrays(proxy, &ls, &lp, &lg, &lo, &n_lo, &ln, &n_ln, &lb, &n_lb, &lf, &n_lf, &lv,
                                           &n_lv, &ld, &n_ld, &lplaces, &llists, &lzones, &lcounts, &ltags, 5 * SEC,
                                           &error, &reply);
                check(r >= 0 && reply, "EmptyArrays (lent) answers (%s)", r < 0 ? error_text(&error) : "ok");
                check(EMPTY_STRV(ls) && EMPTY_STRV(lp) && EMPTY_STRV(lg), "lent: empty string vectors are { NULL }");
                check(EMPTY_COUNTED(lo, n_lo) && EMPTY_COUNTED(ln, n_ln) && EMPTY_COUNTED(lb, n_lb) &&
                              EMPTY_COUNTED(lf, n_lf) && EMPTY_COUNTED(lv, n_lv) && EMPTY_COUNTED(ld, n_ld),
                      "lent: empty counted arrays have count 0 and a non-NULL pointer");
                check(lplaces && EMPTY_COUNTED(lplaces->items, lplaces->n) && llists &&
                              EMPTY_COUNTED(llists->items, llists->n) && lzones && EMPTY_COUNTED(lzones->items, lzones->n) &&
                              lcounts && EMPTY_COUNTED(lcounts->items, lcounts->n) && ltags && EMPTY_STRV(ltags->names),
                      "lent: empty generated collections have non-NULL items");
                dbidl_reply_free(reply);
                sd_bus_error_free(&error);
        }

        empties async = { .done = false };
        r = rt_async_empty_arrays(proxy, 5 * SEC, on_empty_arrays_done, &async, NULL);
        check(r >= 0, "EmptyArrays (async) sent (%s)", r < 0 ? strerror(-r) : "ok");
        WAIT_FOR(async.done, 5 * SEC);
        check(async.done && !async.failed && async.n_args == 14 && async.ok == (1u << 14) - 1,
              "async: all 14 empty outputs are non-NULL (right: 0x%x of 0x%x)", async.ok, (1u << 14) - 1);

        empties signal = { .done = false };
        sd_bus_slot *slot = NULL;
        r = rt_connect_emptied(proxy, on_emptied, &signal, &slot);
        if (r >= 0)
                r = rt_call_send_emptied(proxy, 5 * SEC, NULL);
        check(r >= 0, "SendEmptied (%s)", r < 0 ? strerror(-r) : "ok");
        WAIT_FOR(signal.done, 5 * SEC);
        check(signal.done && signal.n_args == 7 && signal.ok == (1u << 7) - 1,
              "signal: all 7 empty arguments are non-NULL (right: 0x%x of 0x%x)", signal.ok, (1u << 7) - 1);
        sd_bus_slot_unref(slot);

        char **pstrings = NULL;
        int32_t *pnumbers = NULL;
        size_t n_pnumbers = 7;
        rt_PlaceArray pplaces;
        rt_PlaceArray_init(&pplaces);
        r = rt_get_empty_strings(proxy, &pstrings, NULL);
        check(r >= 0 && EMPTY_STRV(pstrings), "property: an empty string[] is { NULL } (%d)", r);
        r = rt_get_empty_numbers(proxy, &pnumbers, &n_pnumbers, NULL);
        check(r >= 0 && EMPTY_COUNTED(pnumbers, n_pnumbers), "property: an empty int32[] has count 0, non-NULL (%d)",
              r);
        r = rt_get_empty_places(proxy, &pplaces, NULL);
        check(r >= 0 && EMPTY_COUNTED(pplaces.items, pplaces.n), "property: an empty Place[] has non-NULL items (%d)",
              r);
        dbidl_strv_free(pstrings);
        free(pnumbers);
        rt_PlaceArray_clear(&pplaces);

        /* the same from the property cache */
        rt_proxy *cached = NULL;
        r = rt_proxy_new(bus, RT_NAME, RT_PATH, &cached);
        if (r >= 0)
                r = dbidl_proxy_enable_cache((dbidl_proxy *) cached);
        if (r >= 0)
                r = dbidl_proxy_load_properties((dbidl_proxy *) cached, 5 * SEC, NULL);
        check(r >= 0, "a proxy with its properties cached (%s)", r < 0 ? strerror(-r) : "ok");
        pstrings = NULL;
        pnumbers = NULL;
        n_pnumbers = 7;
        r = rt_cached_empty_strings(cached, &pstrings);
        check(r >= 0 && EMPTY_STRV(pstrings), "cached property: an empty string[] is { NULL } (%d)", r);
        r = rt_cached_empty_numbers(cached, &pnumbers, &n_pnumbers);
        check(r >= 0 && EMPTY_COUNTED(pnumbers, n_pnumbers),
              "cached property: an empty int32[] has count 0, non-NULL (%d)", r);
        r = rt_cached_empty_places(cached, &pplaces);
        check(r >= 0 && EMPTY_COUNTED(pplaces.items, pplaces.n),
              "cached property: an empty Place[] has non-NULL items (%d)", r);
        dbidl_strv_free(pstrings);
        free(pnumbers);
        rt_PlaceArray_clear(&pplaces);
        rt_proxy_unref(cached);
}

/* ---- a handler that replies itself (sd-bus's convention: > 0 means "replied") ---- */

/*
 * Every method return or error that reaches a filter: sd-bus hands a reply to
 * its pending call (blocking or async) before the filters run, so what gets
 * here is a reply nobody waits for, such as a second reply to one call.
 */
static int count_stray_replies(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        unsigned *n = userdata;
        uint8_t type = 0;
        (void) ret_error;
        (void) sd_bus_message_get_type(m, &type);
        if (type == SD_BUS_MESSAGE_METHOD_RETURN || type == SD_BUS_MESSAGE_METHOD_ERROR) {
                uint64_t cookie = 0;
                (void) sd_bus_message_get_reply_cookie(m, &cookie);
                note("a stray reply (to cookie %" PRIu64 ", signature \"%s\")", cookie,
                     sd_bus_message_get_signature(m, true));
                (*n)++;
        }
        return 0;
}

typedef struct self_reply {
        bool done;
        bool failed;
        char *text;
} self_reply;

static void on_reply_self_done(rt_proxy *proxy, const sd_bus_error *error, const char *text, void *userdata) {
        self_reply *x = userdata;
        (void) proxy;
        x->done = true;
        x->failed = error != NULL;
        x->text = text ? strdup(text) : NULL;
}

static void test_reply_self(sd_bus *bus, rt_proxy *proxy) {
        sd_bus_slot *filter = NULL;
        unsigned n_stray = 0;
        char *text = NULL;
        int32_t result = 0;

        settle(100 * MSEC); /* nothing earlier may still be on its way */
        int r = sd_bus_add_filter(bus, &filter, count_stray_replies, &n_stray);
        if (!check(r >= 0, "a filter that counts stray replies (%s)", r < 0 ? strerror(-r) : "ok"))
                return;
        r = rt_call_reply_self(proxy, &text, 5 * SEC, NULL);
        check(r >= 0 && text && strcmp(text, "from the handler") == 0,
              "ReplySelf (blocking): the handler's own reply, \"%s\" (%d)", text ? text : "(null)", r);
        free(text);
        self_reply async = { .done = false };
        r = rt_async_reply_self(proxy, 5 * SEC, on_reply_self_done, &async, NULL);
        WAIT_FOR(r >= 0 && async.done, 5 * SEC);
        check(async.done && !async.failed && async.text && strcmp(async.text, "from the handler") == 0,
              "ReplySelf (async): the handler's own reply, \"%s\"", async.text ? async.text : "(null)");
        free(async.text);
        /* the next call on the same connection gets its own reply; then give a second reply time to arrive */
        r = rt_call_double(proxy, 21, &result, 5 * SEC, NULL);
        check(r >= 0 && result == 42, "the next call gets its own reply (Double(21) = %" PRIi32 ")", result);
        settle(300 * MSEC);
        check(n_stray == 0, "ReplySelf: exactly one reply per call, no stray second reply (%u stray)", n_stray);
        sd_bus_slot_unref(filter);
}

/* ---- deferred replies ---- */

typedef struct delayed_result {
        bool done;
        int32_t result;
        char *error_name;
        uint64_t elapsed;
        uint64_t start;
} delayed_result;

static void on_delayed_done(rt_proxy *proxy, const sd_bus_error *error, int32_t result, void *userdata) {
        delayed_result *d = userdata;
        (void) proxy;
        d->done = true;
        d->result = result;
        d->elapsed = now_usec() - d->start;
        if (error)
                d->error_name = strdup(error->name);
}

static void test_deferred(rt_proxy *proxy) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int32_t result = 0;
        uint64_t t0 = now_usec();
        int r = rt_call_delayed(proxy, 41, false, &result, 5 * SEC, &error);
        uint64_t elapsed = now_usec() - t0;
        check(r == 0 && result == 42, "deferred reply (rt_reply_delayed) arrives: Delayed(41) = %" PRIi32 " (%s)",
              result, r < 0 ? error_text(&error) : "no error");
        check(elapsed >= 90 * MSEC && elapsed < 2 * SEC, "deferred reply came from the timer, after %" PRIu64 " ms",
              elapsed / MSEC);
        sd_bus_error_free(&error);

        r = rt_call_delayed(proxy, 1, true, &result, 5 * SEC, &error);
        check(r < 0 && rt_error_is_refused(&error), "deferred error (rt_fail_refused) arrives: %s: %s",
              error_text(&error), error.message ? error.message : "");
        sd_bus_error_free(&error);

        delayed_result ok = { .start = now_usec() }, refused = { .start = now_usec() };
        r = rt_async_delayed(proxy, 9, false, 5 * SEC, on_delayed_done, &ok, NULL);
        if (r >= 0)
                r = rt_async_delayed(proxy, 9, true, 5 * SEC, on_delayed_done, &refused, NULL);
        WAIT_FOR(ok.done && refused.done, 5 * SEC);
        check(r >= 0 && ok.done && !ok.error_name && ok.result == 10, "async deferred reply: Delayed(9) = %" PRIi32,
              ok.result);
        check(refused.done && refused.error_name && strcmp(refused.error_name, RT_ERROR_REFUSED) == 0,
              "async deferred error: %s", refused.error_name ? refused.error_name : "(none)");
        free(ok.error_name);
        free(refused.error_name);
}

/* ---- timeouts ---- */

typedef struct never_result {
        bool done;
        char *error_name;
        uint64_t start, elapsed;
} never_result;

static void on_never_done(rt_proxy *proxy, const sd_bus_error *error, void *userdata) {
        never_result *n = userdata;
        (void) proxy;
        n->done = true;
        n->elapsed = now_usec() - n->start;
        if (error)
                n->error_name = strdup(error->name);
}

static void test_timeouts(sd_bus *bus, rt_proxy *proxy) {
        const uint64_t timeout = 500 * MSEC;
        sd_bus_error error = SD_BUS_ERROR_NULL;

        uint64_t t0 = now_usec();
        int r = rt_call_never(proxy, timeout, &error);
        uint64_t elapsed = now_usec() - t0;
        check(r == -ETIMEDOUT, "blocking call to a service that never answers: -ETIMEDOUT (%s, %s)",
              strerror(r < 0 ? -r : 0), error_text(&error));
        check(elapsed >= 400 * MSEC && elapsed <= 600 * MSEC,
              "blocking timeout 500 ms took %" PRIu64 ".%01" PRIu64 " ms (400-600)", elapsed / MSEC,
              elapsed % MSEC / 100);
        sd_bus_error_free(&error);

        never_result n = { .start = now_usec() };
        r = rt_async_never(proxy, timeout, on_never_done, &n, NULL);
        WAIT_FOR(n.done, 5 * SEC);
        check(r >= 0 && n.done && n.error_name && strcmp(n.error_name, SD_BUS_ERROR_NO_REPLY) == 0,
              "async call to a service that never answers: %s", n.error_name ? n.error_name : "(none)");
        check(n.done && n.elapsed >= 400 * MSEC && n.elapsed <= 600 * MSEC,
              "async timeout 500 ms took %" PRIu64 ".%01" PRIu64 " ms (400-600)", n.elapsed / MSEC,
              n.elapsed % MSEC / 100);
        free(n.error_name);

        /* a loop of its own (sd_bus_wait() when sd_bus_process() did nothing): the sd_bus_process() that ran the
         * async callback says it did something (> 0), as for a raw sd-bus reply callback, or the loop would sleep */
        never_result own = { .start = now_usec() };
        int process_r = 0;
        r = rt_async_never(proxy, 200 * MSEC, on_never_done, &own, NULL);
        for (uint64_t deadline = now_usec() + 5 * SEC; r >= 0 && !own.done && now_usec() < deadline;) {
                process_r = sd_bus_process(bus, NULL);
                if (process_r == 0)
                        (void) sd_bus_wait(bus, 100 * MSEC);
        }
        check(own.done && process_r > 0, "own loop: the sd_bus_process() that ran the async callback returned %d (> 0)",
              process_r);
        free(own.error_name);

        /* the proxy's own timeout, for calls that pass 0 */
        (void) dbidl_proxy_set_timeout((dbidl_proxy *) proxy, 300 * MSEC);
        t0 = now_usec();
        r = rt_call_never(proxy, 0, NULL);
        elapsed = now_usec() - t0;
        (void) dbidl_proxy_set_timeout((dbidl_proxy *) proxy, 0);
        check(r == -ETIMEDOUT && elapsed >= 240 * MSEC && elapsed <= 360 * MSEC,
              "timeout 0 uses the proxy's timeout (300 ms): took %" PRIu64 " ms", elapsed / MSEC);
}

/* ---- a never-answered call is cleaned up when its caller disconnects ---- */

static void test_cancel_on_disconnect(rt_proxy *proxy) {
        uint32_t pending0 = 0, cancelled0 = 0, pending = 0, cancelled = 0;
        sd_bus *other = NULL;
        rt_proxy *p2 = NULL;
        sd_bus_slot *slot = NULL;
        never_result n = { .start = now_usec() };

        (void) rt_get_pending(proxy, &pending0, NULL);
        (void) rt_get_cancelled(proxy, &cancelled0, NULL);
        note("before: Pending %" PRIu32 ", Cancelled %" PRIu32, pending0, cancelled0);

        int r = dbidl_bus_open_session(&other);
        if (r >= 0)
                r = rt_proxy_new(other, RT_NAME, RT_PATH, &p2);
        if (r >= 0)
                r = rt_async_never(p2, 60 * SEC, on_never_done, &n, &slot);
        if (!check(r >= 0, "a second connection calls Never (%s)", strerror(r < 0 ? -r : 0)))
                goto out;
        loop_add(other);
        for (uint64_t deadline = now_usec() + 5 * SEC; pending <= pending0 && now_usec() < deadline;) {
                settle(20 * MSEC);
                (void) rt_get_pending(proxy, &pending, NULL);
        }
        check(pending == pending0 + 1, "the service holds the deferred call (Pending %" PRIu32 ")", pending);
        loop_remove(other);
        /* go away without an answer */
        slot = sd_bus_slot_unref(slot);
        p2 = rt_proxy_unref(p2);
        other = sd_bus_flush_close_unref(other);

        for (uint64_t deadline = now_usec() + 5 * SEC; cancelled <= cancelled0 && now_usec() < deadline;) {
                settle(20 * MSEC);
                (void) rt_get_cancelled(proxy, &cancelled, NULL);
        }
        (void) rt_get_pending(proxy, &pending, NULL);
        check(cancelled == cancelled0 + 1 && pending == pending0,
              "caller gone: the service's cancelled callback ran (Cancelled %" PRIu32 ", Pending %" PRIu32 ")",
              cancelled, pending);
        check(!n.done, "the released async call never called back");

        /*
         * callers that leave at once: their NameOwnerChanged can go out before the service's watch on them
         * is in place (dbidl_defer() checks NameHasOwner after adding the match for that)
         */
        const uint32_t n_quick = 10;
        for (uint32_t i = 0; i < n_quick; i++) {
                sd_bus *quick = NULL;
                rt_proxy *pq = NULL;
                sd_bus_slot *sq = NULL;
                if (dbidl_bus_open_session(&quick) >= 0 && rt_proxy_new(quick, RT_NAME, RT_PATH, &pq) >= 0)
                        (void) rt_async_never(pq, 60 * SEC, on_never_done, &n, &sq);
                sd_bus_slot_unref(sq);
                rt_proxy_unref(pq);
                sd_bus_flush_close_unref(quick);
        }
        uint32_t cancelled1 = cancelled;
        for (uint64_t deadline = now_usec() + 5 * SEC; cancelled < cancelled1 + n_quick && now_usec() < deadline;) {
                settle(20 * MSEC);
                (void) rt_get_cancelled(proxy, &cancelled, NULL);
        }
        settle(100 * MSEC);
        (void) rt_get_cancelled(proxy, &cancelled, NULL);
        (void) rt_get_pending(proxy, &pending, NULL);
        check(cancelled == cancelled1 + n_quick && pending == pending0,
              "%" PRIu32 " callers that left right after calling: all cancelled (Cancelled +%" PRIu32
              ", Pending %" PRIu32 ")",
              n_quick, cancelled - cancelled1, pending);
out:
        sd_bus_slot_unref(slot);
        rt_proxy_unref(p2);
        if (other) {
                loop_remove(other);
                sd_bus_flush_close_unref(other);
        }
}

/* ---- caller identity ---- */

static void test_identity(rt_proxy *proxy) {
        uint32_t uid = 0, pid = 0, service_pid = 0;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = rt_call_whoami(proxy, &uid, &pid, &service_pid, 0, &error);
        check(r == 0, "Whoami answers (%s)", r < 0 ? error_text(&error) : "ok");
        check(uid == (uint32_t) getuid(), "caller uid in the handler is getuid() (%" PRIu32 ")", uid);
        check(pid == (uint32_t) getpid(), "caller pid in the handler is the client's pid (%" PRIu32 " = %d)", pid,
              (int) getpid());
        sd_bus_error_free(&error);
}

/* ---- the property cache and change slots ---- */

typedef struct changes {
        int n;
        bool invalidated;
        int64_t value;
        char *text;
        int cached_r;                   /* what the cached getter returned inside the slot */
        int64_t cached_value;
} changes;

static void on_counter_changed(rt_proxy *proxy, bool invalidated, int32_t value, void *userdata) {
        changes *c = userdata;
        int32_t cached = 0;
        c->n++;
        c->invalidated = invalidated;
        c->value = value;
        c->cached_r = rt_cached_counter(proxy, &cached);
        c->cached_value = cached;
}

static void on_generation_changed(rt_proxy *proxy, bool invalidated, uint32_t value, void *userdata) {
        changes *c = userdata;
        uint32_t cached = 0;
        c->n++;
        c->invalidated = invalidated;
        c->value = value;
        c->cached_r = rt_cached_generation(proxy, &cached);
        c->cached_value = cached;
}

static void on_label_changed(rt_proxy *proxy, bool invalidated, const char *value, void *userdata) {
        changes *c = userdata;
        (void) proxy;
        c->n++;
        c->invalidated = invalidated;
        free(c->text);
        c->text = value ? strdup(value) : NULL;
}

static void test_cache(sd_bus *bus) {
        rt_proxy *p = NULL;
        sd_bus_slot *s_counter = NULL, *s_generation = NULL, *s_label = NULL;
        changes counter = { .n = 0 }, generation = { .n = 0 }, label = { .n = 0 };
        int32_t c32 = 0;
        uint32_t u32 = 0;
        char *text = NULL;

        int r = rt_proxy_new(bus, RT_NAME, RT_PATH, &p);
        if (!check(r >= 0, "a proxy for the cache checks"))
                return;
        r = rt_cached_counter(p, &c32);
        check(r == -ENODATA, "no cache enabled: cached getter gives -ENODATA (%d)", r);
        r = dbidl_proxy_enable_cache((dbidl_proxy *) p);
        check(r >= 0, "dbidl_proxy_enable_cache");
        r = rt_cached_counter(p, &c32);
        check(r == -ENODATA, "before GetAll answered: -ENODATA (%d)", r);
        (void) rt_call_set_counter(p, 5, 0, NULL);
        WAIT_FOR(rt_cached_counter(p, &c32) == 0 && c32 == 5, 5 * SEC);
        r = rt_cached_counter(p, &c32);
        check(r == 0 && c32 == 5, "after GetAll: cached Counter = %" PRIi32 " (%d)", c32, r);
        r = rt_cached_label(p, &text);
        check(r == 0 && text && strcmp(text, "initial") == 0, "cached Label = \"%s\"", text ? text : "(null)");
        free(text);
        text = NULL;

        r = rt_watch_counter(p, on_counter_changed, &counter, &s_counter);
        if (r >= 0)
                r = rt_watch_generation(p, on_generation_changed, &generation, &s_generation);
        if (r >= 0)
                r = rt_watch_label(p, on_label_changed, &label, &s_label);
        check(r >= 0, "change slots connected");

        /* @emits(change): the value travels with the signal */
        r = rt_call_set_counter(p, 7, 0, NULL);
        WAIT_FOR(counter.n > 0, 5 * SEC);
        check(r >= 0 && counter.n == 1 && !counter.invalidated && counter.value == 7,
              "Counter change slot: value 7, not invalidated (n %d, value %" PRIi64 ")", counter.n, counter.value);
        check(counter.cached_r == 0 && counter.cached_value == 7,
              "the cache was updated before the slot ran (cached %" PRIi64 ", %d)", counter.cached_value,
              counter.cached_r);
        r = rt_cached_counter(p, &c32);
        check(r == 0 && c32 == 7, "cached Counter = %" PRIi32, c32);

        /* @emits(invalidates): only the name travels; the cache drops it and fetches it again */
        r = rt_call_set_generation(p, 3, 0, NULL);
        WAIT_FOR(generation.n > 0, 5 * SEC);
        check(r >= 0 && generation.n == 1 && generation.invalidated && generation.value == 0,
              "Generation change slot: invalidated, zero value (n %d)", generation.n);
        check(generation.cached_r == -ENODATA, "invalidated: cached getter gives -ENODATA (%d)", generation.cached_r);
        /* only the invalidated name left the cache (the proxy drops the invalidated list in one pass over it) */
        r = rt_cached_counter(p, &c32);
        check(r == 0 && c32 == 7, "after the invalidation: Counter still cached, 7 (%" PRIi32 ", %d)", c32, r);
        r = rt_cached_label(p, &text);
        check(r == 0 && text && strcmp(text, "initial") == 0, "after the invalidation: Label still cached, \"%s\" (%d)",
              text ? text : "(null)", r);
        free(text);
        text = NULL;
        r = -1;
        WAIT_FOR((r = rt_cached_generation(p, &u32)) == 0, 5 * SEC);
        check(r == 0 && u32 == 3, "invalidated Generation fetched again: cached %" PRIu32 " (%d)", u32, r);

        /* a readwrite property written through the proxy */
        r = rt_set_label(p, "written", NULL);
        WAIT_FOR(label.n > 0, 5 * SEC);
        check(r >= 0 && label.n == 1 && !label.invalidated && label.text && strcmp(label.text, "written") == 0,
              "Label set: change slot with \"%s\"", label.text ? label.text : "(null)");
        r = rt_cached_label(p, &text);
        check(r == 0 && text && strcmp(text, "written") == 0, "cached Label = \"%s\"", text ? text : "(null)");
        free(text);
        text = NULL;

        /* a released slot runs no more */
        s_counter = sd_bus_slot_unref(s_counter);
        (void) rt_call_set_counter(p, 8, 0, NULL);
        WAIT_FOR(rt_cached_counter(p, &c32) == 0 && c32 == 8, 5 * SEC);
        check(counter.n == 1 && c32 == 8, "released change slot: not called; cache still follows (%" PRIi32 ")", c32);

        /* blocking load on a fresh proxy */
        rt_proxy *q = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        r = rt_proxy_new(bus, RT_NAME, RT_PATH, &q);
        if (r >= 0)
                r = dbidl_proxy_load_properties((dbidl_proxy *) q, 0, &error);
        c32 = 0;
        u32 = 0;
        if (r >= 0)
                r = rt_cached_counter(q, &c32);
        if (r >= 0)
                r = rt_cached_generation(q, &u32);
        check(r == 0 && c32 == 8 && u32 == 3, "dbidl_proxy_load_properties: Counter %" PRIi32 ", Generation %" PRIu32,
              c32, u32);
        sd_bus_error_free(&error);
        rt_proxy_unref(q);

        sd_bus_slot_unref(s_generation);
        sd_bus_slot_unref(s_label);
        free(label.text);
        rt_proxy_unref(p);
}

/* ---- a readonly property refuses writes ---- */

static void test_readonly(rt_proxy *proxy) {
        sd_bus_message *m = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int32_t value = 1;
        int r = dbidl_proxy_set_property_begin((dbidl_proxy *) proxy, "Counter", "i", &m);
        if (r >= 0)
                r = sd_bus_message_append_basic(m, 'i', &value);
        if (r >= 0)
                r = dbidl_proxy_set_property_end((dbidl_proxy *) proxy, m, &error);
        sd_bus_message_unref(m);
        check(r < 0 && sd_bus_error_has_name(&error, SD_BUS_ERROR_PROPERTY_READ_ONLY),
              "Set of readonly Counter: %s (%s)", error_text(&error), strerror(r < 0 ? -r : 0));
        sd_bus_error_free(&error);
}

/* ---- a @stored interface: the skeleton keeps the values, one PropertiesChanged per loop iteration ---- */

#define KEPT_PATH RT_PATH "/kept"

typedef struct kept_signals {
        int n;
        char changed[256];              /* the last signal's changed names, "Count,Title" */
        char invalidated[256];          /* its invalidated names */
        int32_t count;                  /* its Count value, if it carried one */
        char *mode;                     /* its Mode value, if it carried one */
} kept_signals;

static void names_add(char *list, size_t size, const char *name) {
        size_t len = strlen(list);
        snprintf(list + len, size - len, "%s%s", len ? "," : "", name);
}

/* PropertiesChanged from the Kept object, read with plain sd-bus: every name, changed or invalidated. */
static int on_kept_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        kept_signals *k = userdata;
        const char *interface = NULL, *name = NULL;
        char **invalidated = NULL;
        int r;
        (void) ret_error;

        k->n++;
        k->changed[0] = k->invalidated[0] = '\0';
        r = sd_bus_message_read(m, "s", &interface);
        if (r >= 0)
                r = sd_bus_message_enter_container(m, 'a', "{sv}");
        while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                r = sd_bus_message_read(m, "s", &name);
                if (r >= 0)
                        names_add(k->changed, sizeof(k->changed), name);
                if (r >= 0 && strcmp(name, "Count") == 0)
                        r = sd_bus_message_read(m, "v", "i", &k->count);
                else if (r >= 0 && strcmp(name, "Mode") == 0) {
                        const char *mode = NULL;
                        r = sd_bus_message_read(m, "v", "s", &mode);
                        free(k->mode);
                        k->mode = mode ? strdup(mode) : NULL;
                } else if (r >= 0)
                        r = sd_bus_message_skip(m, "v");
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
        }
        if (r >= 0)
                r = sd_bus_message_exit_container(m);
        if (r >= 0)
                r = sd_bus_message_read_strv(m, &invalidated);
        for (size_t i = 0; r >= 0 && invalidated && invalidated[i]; i++)
                names_add(k->invalidated, sizeof(k->invalidated), invalidated[i]);
        if (r < 0)
                names_add(k->changed, sizeof(k->changed), "(unreadable)");
        dbidl_strv_free(invalidated);
        return 0;
}

static void test_kept(sd_bus *bus) {
        rt_kept_proxy *p = NULL;
        sd_bus_slot *match = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        kept_signals k = { .n = 0 };
        char *text = NULL, **tags = NULL;
        rt_kept_Pair where = { 0 };
        int32_t i32 = -1;
        uint32_t u32 = 0;

        int r = rt_kept_proxy_new(bus, RT_NAME, KEPT_PATH, &p);
        if (!check(r >= 0, "a proxy for the @stored interface"))
                return;
        r = sd_bus_match_signal(bus, &match, RT_NAME, KEPT_PATH, "org.freedesktop.DBus.Properties",
                                "PropertiesChanged", on_kept_changed, &k);
        check(r >= 0, "a match for the Kept object's PropertiesChanged (%d)", r);

        /* before anything is stored: the types' empty values, never NULL strings */
        r = rt_kept_get_title(p, &text, &error);
        check(r >= 0 && text && strcmp(text, "") == 0, "@stored: Title starts as \"\" (%d, %s)", r, error_text(&error));
        free(text);
        text = NULL;
        sd_bus_error_free(&error);
        r = rt_kept_get_untouched(p, &text, NULL);
        check(r >= 0 && text && strcmp(text, "/") == 0, "@stored: an objpath never stored is \"/\" (%s)",
              text ? text : "NULL");
        free(text);
        text = NULL;
        r = rt_kept_get_tags(p, &tags, NULL);
        check(r >= 0 && EMPTY_STRV(tags), "@stored: Tags starts empty (%d)", r);
        dbidl_strv_free(tags);
        tags = NULL;
        r = rt_kept_get_origin(p, &text, NULL);
        check(r >= 0 && text && strcmp(text, "/org/dbidl/Origin") == 0, "@stored: the const Origin is served (%s)",
              text ? text : "NULL");
        free(text);
        text = NULL;

        /* six stores in one handler: one signal with the four changed values and Epoch invalidated */
        r = rt_kept_call_bump(p, 7, "hello", 5 * SEC, &error);
        check(r >= 0, "Bump(7, \"hello\") (%s)", error_text(&error));
        sd_bus_error_free(&error);
        WAIT_FOR(k.n >= 1, 2 * SEC);
        settle(300 * MSEC);
        check(k.n == 1, "Bump's six stores: exactly one PropertiesChanged (%d)", k.n);
        check(strcmp(k.changed, "Count,Title,Tags,Where") == 0, "it carries Count, Title, Tags and Where (%s)",
              k.changed);
        check(k.count == 7, "with Count 7 (%" PRId32 ")", k.count);
        check(strcmp(k.invalidated, "Epoch") == 0, "Epoch (@emits(invalidates)) only invalidated, no value (%s)",
              k.invalidated);

        /* Get answers from the kept values */
        r = rt_kept_get_count(p, &i32, NULL);
        check(r >= 0 && i32 == 7, "Get Count: 7 (%" PRId32 ")", i32);
        r = rt_kept_get_title(p, &text, NULL);
        check(r >= 0 && text && strcmp(text, "hello") == 0, "Get Title: hello (%s)", text ? text : "NULL");
        free(text);
        text = NULL;
        r = rt_kept_get_tags(p, &tags, NULL);
        check(r >= 0 && tags && tags[0] && tags[1] && !tags[2] && strcmp(tags[1], "hello") == 0,
              "Get Tags: [hello, hello]");
        dbidl_strv_free(tags);
        tags = NULL;
        r = rt_kept_get_where(p, &where, NULL);
        check(r >= 0 && where.number == 7 && where.text && strcmp(where.text, "hello") == 0, "Get Where: (7, hello)");
        rt_kept_Pair_clear(&where);
        r = rt_kept_get_epoch(p, &u32, NULL);
        check(r >= 0 && u32 == 1, "Get Epoch: 1 (%" PRIu32 ")", u32);
        r = rt_kept_get_quiet(p, &i32, NULL);
        check(r >= 0 && i32 == 7, "Get Quiet (@emits(none)): 7, stored without a signal (%" PRId32 ")", i32);

        /* the same values again: only Epoch changes */
        r = rt_kept_call_bump(p, 7, "hello", 5 * SEC, NULL);
        WAIT_FOR(k.n >= 2, 2 * SEC);
        settle(200 * MSEC);
        check(k.n == 2 && k.changed[0] == '\0' && strcmp(k.invalidated, "Epoch") == 0,
              "Bump with equal values: one signal, only Epoch invalidated (%d: '%s' / '%s')", k.n, k.changed,
              k.invalidated);

        /* a remote Set: vetted by set_mode, kept, announced */
        r = rt_kept_set_mode(p, "fast", &error);
        check(r >= 0, "Set Mode fast (%s)", error_text(&error));
        sd_bus_error_free(&error);
        WAIT_FOR(k.n >= 3, 2 * SEC);
        check(k.n == 3 && strcmp(k.changed, "Mode") == 0 && k.mode && strcmp(k.mode, "fast") == 0,
              "Set Mode: one PropertiesChanged with Mode fast (%d: %s)", k.n, k.changed);
        r = rt_kept_get_mode(p, &text, NULL);
        check(r >= 0 && text && strcmp(text, "fast") == 0, "Get Mode after Set: fast (%s)", text ? text : "NULL");
        free(text);
        text = NULL;
        r = rt_kept_set_mode(p, "bad", &error);
        check(r < 0 && sd_bus_error_has_name(&error, SD_BUS_ERROR_INVALID_ARGS),
              "Set Mode bad: the set_mode handler refuses it (%s)", error_text(&error));
        sd_bus_error_free(&error);
        settle(200 * MSEC);
        r = rt_kept_get_mode(p, &text, NULL);
        check(k.n == 3 && r >= 0 && text && strcmp(text, "fast") == 0,
              "a refused Set keeps fast and sends nothing (%d signals, %s)", k.n, text ? text : "NULL");
        free(text);
        free(k.mode);
        sd_bus_slot_unref(match);
        rt_kept_proxy_unref(p);
}

/*
 * The same skeleton served from this program, which runs its own poll loop (no sd-event): nothing is sent
 * until dbidl_bus_flush_properties(), which sends one PropertiesChanged; the values go with the slot.
 */
static void test_kept_own_loop(sd_bus *bus) {
        static const rt_kept_handlers no_handlers = { .handle_bump = NULL };
        sd_bus *peer = NULL;
        sd_bus_slot *export = NULL, *match = NULL;
        kept_signals k = { .n = 0 };
        const char *self = NULL;

        int r = dbidl_bus_open_session(&peer);
        if (!check(r >= 0, "own loop: a second connection to watch from (%d)", r))
                return;
        loop_add(peer);
        r = rt_kept_export(bus, "/own", &no_handlers, NULL, &export);
        check(r >= 0, "own loop: rt_kept_export at /own (%d)", r);
        if (r >= 0)
                r = sd_bus_get_unique_name(bus, &self);
        if (r >= 0)
                r = sd_bus_match_signal(peer, &match, self, "/own", "org.freedesktop.DBus.Properties",
                                        "PropertiesChanged", on_kept_changed, &k);
        check(r >= 0, "own loop: a match for /own's PropertiesChanged (%d)", r);
        r = rt_kept_store_count(bus, "/own", 3);
        check(r == 1, "own loop: store Count 3 gives 1, changed (%d)", r);
        r = rt_kept_store_title(bus, "/own", "own");
        check(r == 1, "own loop: store Title gives 1 (%d)", r);
        r = rt_kept_store_title(bus, "/own", "own");
        check(r == 0, "own loop: the same Title again gives 0, nothing queued (%d)", r);
        settle(200 * MSEC);
        check(k.n == 0, "own loop: no sd-event, no flush: nothing sent yet (%d)", k.n);
        r = dbidl_bus_flush_properties(bus);
        check(r == 1, "own loop: dbidl_bus_flush_properties sends one signal (%d)", r);
        WAIT_FOR(k.n >= 1, 2 * SEC);
        settle(100 * MSEC);
        check(k.n == 1 && strcmp(k.changed, "Count,Title") == 0 && k.count == 3 && k.invalidated[0] == '\0',
              "own loop: one PropertiesChanged with Count 3 and Title (%d: %s)", k.n, k.changed);
        r = dbidl_bus_flush_properties(bus);
        check(r == 0, "own loop: a second flush has nothing to send (%d)", r);
        export = sd_bus_slot_unref(export);
        r = rt_kept_store_count(bus, "/own", 4);
        check(r == -ENOENT, "own loop: after the slot is released the values are gone: -ENOENT (%d)", r);
        sd_bus_slot_unref(match);
        free(k.mode);
        loop_remove(peer);
        sd_bus_flush_close_unref(peer);
}

/* ---- signals, and signals with the wrong signature ---- */

typedef struct ticks {
        int n;
        int32_t value;
        uint32_t service_pid;
        int n_diagnostics;
        char *bad_signature;
        char *expected;
} ticks;

static void on_tick(rt_proxy *proxy, int32_t value, uint32_t service_pid, void *userdata) {
        ticks *t = userdata;
        (void) proxy;
        t->n++;
        t->value = value;
        t->service_pid = service_pid;
}

static void on_diagnostic(dbidl_proxy *p, sd_bus_message *m, const char *expected_signature, void *userdata) {
        ticks *t = userdata;
        (void) p;
        t->n_diagnostics++;
        free(t->bad_signature);
        free(t->expected);
        t->bad_signature = strdup(sd_bus_message_get_signature(m, true));
        t->expected = strdup(expected_signature);
        note("diagnostic: %s.%s with signature '%s', expected '%s'", sd_bus_message_get_interface(m),
             sd_bus_message_get_member(m), t->bad_signature, expected_signature);
}

static void test_signals(rt_proxy *proxy, uint32_t service_pid) {
        ticks t = { .n = 0 };
        sd_bus_slot *slot = NULL;
        dbidl_proxy *dp = (dbidl_proxy *) proxy;

        (void) dbidl_proxy_set_diagnostic_handler(dp, on_diagnostic, &t);
        uint64_t bad0 = dbidl_proxy_get_n_bad_messages(dp);
        int r = rt_connect_tick(proxy, on_tick, &t, &slot);
        check(r >= 0, "Tick slot connected");
        r = rt_call_send_tick(proxy, 5, 0, NULL);
        WAIT_FOR(t.n > 0, 5 * SEC);
        check(r >= 0 && t.n == 1 && t.value == 5 && t.service_pid == service_pid,
              "Tick(5) received from the service (pid %" PRIu32 ")", t.service_pid);

        r = rt_call_send_bad_tick(proxy, 0, NULL);
        WAIT_FOR(dbidl_proxy_get_n_bad_messages(dp) > bad0, 5 * SEC);
        settle(50 * MSEC);
        check(r >= 0 && dbidl_proxy_get_n_bad_messages(dp) == bad0 + 1,
              "Tick with signature 's' counted as a bad message (%" PRIu64 ")", dbidl_proxy_get_n_bad_messages(dp));
        check(t.n_diagnostics == 1 && t.bad_signature && strcmp(t.bad_signature, "s") == 0 && t.expected &&
                      strcmp(t.expected, "iu") == 0,
              "the diagnostic handler saw it: '%s', expected '%s'", t.bad_signature ? t.bad_signature : "",
              t.expected ? t.expected : "");
        check(t.n == 1, "the bad Tick did not reach the typed handler");

        r = rt_call_send_tick(proxy, 6, 0, NULL);
        WAIT_FOR(t.n > 1, 5 * SEC);
        check(t.n == 2 && t.value == 6, "a good Tick after the bad one is delivered (%" PRIi32 ")", t.value);

        (void) dbidl_proxy_set_diagnostic_handler(dp, NULL, NULL);
        sd_bus_slot_unref(slot);
        free(t.bad_signature);
        free(t.expected);
}

/* ---- values outside the IDL: undeclared enum values, wrong types ---- */

/* a Zone the IDL does not declare, as rt-service sends it */
#define UNDECLARED_ZONE ((rt_Zone) 99)

/* What a proxy's diagnostic handler saw. */
typedef struct diagnostics {
        int n;
        char *expected;                 /* the last expected signature */
        char *member;                   /* the last message's member, or its reply's "reply" */
} diagnostics;

static void on_bad_message(dbidl_proxy *p, sd_bus_message *m, const char *expected_signature, void *userdata) {
        diagnostics *d = userdata;
        (void) p;
        d->n++;
        free(d->expected);
        free(d->member);
        d->expected = strdup(expected_signature);
        d->member = strdup(sd_bus_message_get_member(m) ? sd_bus_message_get_member(m) : "reply");
        note("diagnostic: %s with signature '%s', expected '%s'", d->member, sd_bus_message_get_signature(m, true),
             expected_signature);
}

static bool diagnosed(const diagnostics *d, int n, const char *expected, const char *member) {
        return d->n == n && d->expected && strcmp(d->expected, expected) == 0 && d->member &&
               strcmp(d->member, member) == 0;
}

static void diagnostics_clear(diagnostics *d) {
        free(d->expected);
        free(d->member);
        *d = (diagnostics) { .n = 0 };
}

typedef struct moves {
        int n;
        rt_Zone zone;
        rt_Zone place_zone;
        bool name_lent; /* place->name is the signal message's own string (read again: the same pointer) */
} moves;

static void on_moved(rt_proxy *proxy, rt_Zone zone, const rt_Place *place, void *userdata) {
        moves *mv = userdata;
        mv->n++;
        mv->zone = zone;
        mv->place_zone = place->zone;
        /* the message being dispatched is the signal (sd_bus_get_current_message()) */
        sd_bus_message *m = sd_bus_get_current_message(dbidl_proxy_get_bus((dbidl_proxy *) proxy));
        const char *name = NULL;
        uint32_t z1 = 0, z2 = 0;
        mv->name_lent = m && sd_bus_message_rewind(m, true) >= 0 && sd_bus_message_read(m, "u(su)", &z1, &name, &z2) > 0 &&
                        name == place->name;
}

/* A signal whose arguments cannot be read (an undeclared enum value, also inside a struct) is counted, once. */
static void test_bad_signal_values(rt_proxy *proxy) {
        dbidl_proxy *dp = (dbidl_proxy *) proxy;
        diagnostics d = { .n = 0 };
        moves mv = { .n = 0 };
        sd_bus_slot *slot = NULL;

        (void) dbidl_proxy_set_diagnostic_handler(dp, on_bad_message, &d);
        uint64_t bad0 = dbidl_proxy_get_n_bad_messages(dp);
        int r = rt_connect_moved(proxy, on_moved, &mv, &slot);
        if (r >= 0)
                r = rt_call_send_moved(proxy, false, false, 0, NULL);
        WAIT_FOR(mv.n > 0, 5 * SEC);
        check(r >= 0 && mv.n == 1 && mv.zone == RT_ZONE_WORK && mv.place_zone == RT_ZONE_HOME,
              "Moved(WORK, HOME place) delivered (%d)", mv.n);
        check(mv.name_lent, "Moved: the place's name points into the signal message, not a copy");

        r = rt_call_send_moved(proxy, true, false, 0, NULL);
        WAIT_FOR(dbidl_proxy_get_n_bad_messages(dp) > bad0, 5 * SEC);
        settle(50 * MSEC);
        check(r >= 0 && dbidl_proxy_get_n_bad_messages(dp) == bad0 + 1 && diagnosed(&d, 1, "u(su)", "Moved"),
              "Moved with an undeclared Zone: counted once and reported (%" PRIu64 ", %d diagnostics)",
              dbidl_proxy_get_n_bad_messages(dp) - bad0, d.n);
        r = rt_call_send_moved(proxy, false, true, 0, NULL);
        WAIT_FOR(dbidl_proxy_get_n_bad_messages(dp) > bad0 + 1, 5 * SEC);
        settle(50 * MSEC);
        check(r >= 0 && dbidl_proxy_get_n_bad_messages(dp) == bad0 + 2 && diagnosed(&d, 2, "u(su)", "Moved"),
              "Moved with an undeclared Zone inside its Place struct: counted once and reported (%" PRIu64
              ", %d diagnostics)",
              dbidl_proxy_get_n_bad_messages(dp) - bad0, d.n);
        check(mv.n == 1, "neither bad Moved reached the typed handler (%d)", mv.n);

        (void) dbidl_proxy_set_diagnostic_handler(dp, NULL, NULL);
        sd_bus_slot_unref(slot);
        diagnostics_clear(&d);
}

typedef struct zone_reply {
        bool done;
        char *error_name;
        char *error_message;
        rt_Zone zone;
} zone_reply;

static void on_get_zone_done(rt_proxy *proxy, const sd_bus_error *error, rt_Zone zone, void *userdata) {
        zone_reply *z = userdata;
        (void) proxy;
        z->done = true;
        z->zone = zone;
        if (error) {
                z->error_name = strdup(error->name ? error->name : "(no name)");
                z->error_message = strdup(error->message ? error->message : "");
        }
}

static bool error_says(const sd_bus_error *e, const char *name, const char *text) {
        return sd_bus_error_has_name(e, name) && e->message && strstr(e->message, text);
}

/* A reply with the right signature and a value the IDL refuses: the errno, and ret_error naming what. */
static void test_bad_replies(rt_proxy *proxy) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        rt_Zone zone = RT_ZONE_WORK;
        rt_Place place;
        rt_Place_init(&place);

        int r = rt_call_get_zone(proxy, false, &zone, 0, &error);
        check(r == 0 && zone == RT_ZONE_HOME, "GetZone answers HOME (%d)", r);
        zone = RT_ZONE_WORK;
        r = rt_call_get_zone(proxy, true, &zone, 0, &error);
        check(r == -EDOM && zone == RT_ZONE_WORK, "GetZone answering an undeclared Zone: -EDOM, output untouched (%d)", r);
        check(error_says(&error, SD_BUS_ERROR_INVALID_ARGS,
                         "Invalid output 'zone' in the reply of GetZone: the value is not one of its enum's declared values"),
              "... and ret_error says so: %s: %s", error_text(&error), error.message ? error.message : "");
        sd_bus_error_free(&error);

        r = rt_call_get_place(proxy, true, &place, 0, &error);
        check(r == -EDOM && !place.name, "GetPlace answering an undeclared Zone inside the struct: -EDOM (%d)", r);
        check(error_says(&error, SD_BUS_ERROR_INVALID_ARGS, "Invalid output 'place' in the reply of GetPlace"),
              "... and ret_error names the output: %s: %s", error_text(&error), error.message ? error.message : "");
        sd_bus_error_free(&error);
        r = rt_call_get_place(proxy, false, &place, 0, &error);
        check(r == 0 && place.name && strcmp(place.name, "office") == 0 && place.zone == RT_ZONE_WORK,
              "GetPlace answers \"office\" in WORK (%d)", r);
        rt_Place_clear(&place);
        sd_bus_error_free(&error);
        r = rt_call_get_zone(proxy, true, &zone, 0, NULL);
        check(r == -EDOM, "... and with ret_error NULL: -EDOM (%d)", r);

        /* the lent form: the same errors; the struct output and the reply handle untouched on failure */
        dbidl_reply *reply = NULL, *const sentinel = (dbidl_reply *) &error;
        const rt_Place *lent = (const rt_Place *) &zone;
        reply = sentinel;
        r = rt_borrow_get_place(proxy, true, &lent, 0, &error, &reply);
        check(r == -EDOM && reply == sentinel && lent == (const rt_Place *) &zone,
              "lent GetPlace answering an undeclared Zone inside the struct: -EDOM, untouched (%d)", r);
        check(error_says(&error, SD_BUS_ERROR_INVALID_ARGS, "Invalid output 'place' in the reply of GetPlace"),
              "... and ret_error names the output: %s: %s", error_text(&error), error.message ? error.message : "");
        sd_bus_error_free(&error);
        reply = NULL;
        r = rt_borrow_get_place(proxy, false, &lent, 0, &error, &reply);
        check(r == 0 && reply && lent && lent->name && strcmp(lent->name, "office") == 0 && lent->zone == RT_ZONE_WORK,
              "lent GetPlace answers \"office\" in WORK (%d)", r);
        if (r == 0 && reply && lent) {
                /* the string inside the lent struct is the reply's own, not a copy: reading the reply again through
                 * sd-bus gives the same pointer (docs/c-api.md, "Lent values inside structs, arrays and dicts") */
                sd_bus_message *m = dbidl_reply_get_message(reply);
                const char *name = NULL;
                uint32_t z = 0;
                int rr = sd_bus_message_rewind(m, true);
                if (rr >= 0)
                        rr = sd_bus_message_read(m, "(su)", &name, &z);
                check(rr > 0 && name == lent->name, "lent GetPlace: the struct's string points into the reply (%d)",
                      rr);
        }
        reply = dbidl_reply_free(reply);
        r = rt_borrow_get_zone(proxy, false, NULL, 0, NULL, &reply);
        check(r == 0 && reply, "lent GetZone with its output NULL (%d)", r);
        reply = dbidl_reply_free(reply);
        sd_bus_error_free(&error);

        zone_reply ok = { .done = false }, bad = { .done = false };
        r = rt_async_get_zone(proxy, false, 0, on_get_zone_done, &ok, NULL);
        if (r >= 0)
                r = rt_async_get_zone(proxy, true, 0, on_get_zone_done, &bad, NULL);
        WAIT_FOR(ok.done && bad.done, 5 * SEC);
        check(r >= 0 && ok.done && !ok.error_name && ok.zone == RT_ZONE_HOME, "async GetZone answers HOME");
        check(bad.done && bad.error_name && strcmp(bad.error_name, SD_BUS_ERROR_INVALID_ARGS) == 0 &&
                      bad.error_message && strstr(bad.error_message, "output 'zone' in the reply of GetZone") &&
                      bad.zone == (rt_Zone) 0,
              "async GetZone answering an undeclared Zone: the callback gets %s: %s, and a zero value",
              bad.error_name ? bad.error_name : "(no error)", bad.error_message ? bad.error_message : "");
        free(ok.error_name);
        free(ok.error_message);
        free(bad.error_name);
        free(bad.error_message);

        /* a property Get */
        r = rt_call_force_default_zone(proxy, 99, false, 0, NULL);
        zone = RT_ZONE_WORK;
        if (r >= 0)
                r = rt_get_default_zone(proxy, &zone, &error);
        check(r == -EDOM && zone == RT_ZONE_WORK, "Get of DefaultZone holding an undeclared Zone: -EDOM (%d)", r);
        check(error_says(&error, SD_BUS_ERROR_INVALID_ARGS,
                         "Invalid value of property 'DefaultZone' in the reply of Get: the value is not one of its "
                         "enum's declared values"),
              "... and ret_error says so: %s: %s", error_text(&error), error.message ? error.message : "");
        sd_bus_error_free(&error);
        r = rt_call_force_default_zone(proxy, RT_ZONE_HOME, false, 0, NULL);
        if (r >= 0)
                r = rt_get_default_zone(proxy, &zone, &error);
        check(r == 0 && zone == RT_ZONE_HOME, "DefaultZone back to HOME (%d)", r);
        sd_bus_error_free(&error);
}

typedef struct zone_changes {
        int n;
        bool invalidated;
        rt_Zone value;
} zone_changes;

static void on_default_zone_changed(rt_proxy *proxy, bool invalidated, rt_Zone value, void *userdata) {
        zone_changes *z = userdata;
        (void) proxy;
        z->n++;
        z->invalidated = invalidated;
        z->value = value;
}

static uint64_t n_bad(rt_proxy *p) {
        return dbidl_proxy_get_n_bad_messages((dbidl_proxy *) p);
}

/* Wait until p has counted `n` bad messages, then a little more, so that a second count would show. */
static void wait_bad(rt_proxy *p, uint64_t n) {
        WAIT_FOR(n_bad(p) >= n, 5 * SEC);
        settle(50 * MSEC);
}

/*
 * Property values the IDL refuses (another type, an undeclared enum value) in GetAll, PropertiesChanged and
 * the Get after an invalidation: counted once each, reported, and never cached (the cached getter says
 * -ENODATA), with a change slot connected or not.
 */
static void test_bad_properties(sd_bus *bus, rt_proxy *proxy) {
        rt_proxy *p = NULL, *q = NULL, *a = NULL, *nc = NULL;
        diagnostics d = { .n = 0 }, dq = { .n = 0 }, da = { .n = 0 }, dnc = { .n = 0 };
        sd_bus_slot *s_zone = NULL, *s_counter = NULL, *s_nc1 = NULL, *s_nc2 = NULL;
        zone_changes zc = { .n = 0 }, nc1 = { .n = 0 }, nc2 = { .n = 0 };
        changes counter = { .n = 0 };
        int32_t c32 = 0;
        rt_Zone zone = RT_ZONE_HOME;
        uint64_t bad0;

        int r = rt_proxy_new(bus, RT_NAME, RT_PATH, &p);
        if (r >= 0)
                r = dbidl_proxy_set_diagnostic_handler((dbidl_proxy *) p, on_bad_message, &d);
        if (r >= 0)
                r = dbidl_proxy_load_properties((dbidl_proxy *) p, 0, NULL);
        if (r >= 0)
                r = rt_call_set_counter(proxy, 21, 0, NULL);
        WAIT_FOR(rt_cached_counter(p, &c32) == 0 && c32 == 21, 5 * SEC);
        if (!check(r >= 0 && c32 == 21 && n_bad(p) == 0, "a proxy with a loaded cache: Counter 21, nothing bad (%d)",
                   r))
                goto out;

        /* the cache alone, no change slot: a string for the int32 Counter */
        bad0 = n_bad(p);
        r = rt_call_send_bad_counter(proxy, 0, NULL);
        wait_bad(p, bad0 + 1);
        check(r >= 0 && n_bad(p) == bad0 + 1 && diagnosed(&d, 1, "i", "PropertiesChanged"),
              "PropertiesChanged with a string for Counter: counted once, reported expecting 'i' (%" PRIu64 ")",
              n_bad(p) - bad0);
        r = rt_cached_counter(p, &c32);
        check(r == -ENODATA, "... and not cached: the cached getter gives -ENODATA, not the wrong value (%d)", r);
        (void) rt_call_set_counter(proxy, 22, 0, NULL);
        WAIT_FOR(rt_cached_counter(p, &c32) == 0 && c32 == 22, 5 * SEC);
        check(c32 == 22, "the next good Counter is cached again (%" PRIi32 ")", c32);

        /* an undeclared enum value in PropertiesChanged */
        r = rt_cached_default_zone(p, &zone);
        check(r == 0 && zone == RT_ZONE_HOME, "cached DefaultZone HOME (%d)", r);
        bad0 = n_bad(p);
        r = rt_call_force_default_zone(proxy, 99, false, 0, NULL);
        wait_bad(p, bad0 + 1);
        check(r >= 0 && n_bad(p) == bad0 + 1 && diagnosed(&d, 2, "u", "PropertiesChanged"),
              "PropertiesChanged with an undeclared DefaultZone: counted once, reported expecting 'u' (%" PRIu64 ")",
              n_bad(p) - bad0);
        r = rt_cached_default_zone(p, &zone);
        check(r == -ENODATA, "... and not cached: -ENODATA (%d)", r);
        r = rt_set_default_zone(proxy, RT_ZONE_WORK, NULL);
        WAIT_FOR(rt_cached_default_zone(p, &zone) == 0, 5 * SEC);
        check(r >= 0 && rt_cached_default_zone(p, &zone) == 0 && zone == RT_ZONE_WORK,
              "DefaultZone set to WORK: cached again");

        /* invalidated, and the Get that fetches it again answers an undeclared value */
        bad0 = n_bad(p);
        r = rt_call_force_default_zone(proxy, 99, true, 0, NULL);
        wait_bad(p, bad0 + 1);
        check(r >= 0 && n_bad(p) == bad0 + 1 && diagnosed(&d, 3, "u", "reply"),
              "invalidated DefaultZone fetched again as an undeclared value: counted once, reported with the Get "
              "reply (%" PRIu64 ")",
              n_bad(p) - bad0);
        r = rt_cached_default_zone(p, &zone);
        check(r == -ENODATA, "... and not cached: -ENODATA (%d)", r);

        /* GetAll, blocking and not, with the undeclared value: the other properties are cached */
        r = rt_proxy_new(bus, RT_NAME, RT_PATH, &q);
        if (r >= 0)
                r = dbidl_proxy_set_diagnostic_handler((dbidl_proxy *) q, on_bad_message, &dq);
        if (r >= 0)
                r = dbidl_proxy_load_properties((dbidl_proxy *) q, 0, NULL);
        check(r >= 0 && n_bad(q) == 1 && diagnosed(&dq, 1, "u", "reply"),
              "GetAll with an undeclared DefaultZone (dbidl_proxy_load_properties): counted once (%" PRIu64 ")",
              n_bad(q));
        r = rt_cached_default_zone(q, &zone);
        check(r == -ENODATA, "... DefaultZone not cached (%d)", r);
        r = rt_cached_counter(q, &c32);
        check(r == 0 && c32 == 22, "... the other properties are (Counter %" PRIi32 ", %d)", c32, r);
        r = rt_proxy_new(bus, RT_NAME, RT_PATH, &a);
        if (r >= 0)
                r = dbidl_proxy_set_diagnostic_handler((dbidl_proxy *) a, on_bad_message, &da);
        if (r >= 0)
                r = dbidl_proxy_enable_cache((dbidl_proxy *) a);
        WAIT_FOR(rt_cached_counter(a, &c32) == 0, 5 * SEC);
        settle(50 * MSEC);
        check(r >= 0 && n_bad(a) == 1 && diagnosed(&da, 1, "u", "reply") && rt_cached_counter(a, &c32) == 0 &&
                      rt_cached_default_zone(a, &zone) == -ENODATA,
              "the same through dbidl_proxy_enable_cache(): counted once, Counter cached, DefaultZone not (%" PRIu64
              ")",
              n_bad(a));

        /* with change slots connected as well: still counted once, and no slot runs for a bad value */
        r = rt_set_default_zone(proxy, RT_ZONE_HOME, NULL);
        WAIT_FOR(rt_cached_default_zone(p, &zone) == 0, 5 * SEC);
        if (r >= 0)
                r = rt_watch_default_zone(p, on_default_zone_changed, &zc, &s_zone);
        if (r >= 0)
                r = rt_watch_counter(p, on_counter_changed, &counter, &s_counter);
        check(r >= 0, "change slots for DefaultZone and Counter connected");
        bad0 = n_bad(p);
        r = rt_call_force_default_zone(proxy, 99, false, 0, NULL);
        wait_bad(p, bad0 + 1);
        check(r >= 0 && n_bad(p) == bad0 + 1 && zc.n == 0 && rt_cached_default_zone(p, &zone) == -ENODATA,
              "undeclared DefaultZone with a slot and the cache: counted once (%" PRIu64
              "), the slot did not run (%d), not cached",
              n_bad(p) - bad0, zc.n);
        bad0 = n_bad(p);
        r = rt_call_send_bad_counter(proxy, 0, NULL);
        wait_bad(p, bad0 + 1);
        check(r >= 0 && n_bad(p) == bad0 + 1 && counter.n == 0 && rt_cached_counter(p, &c32) == -ENODATA,
              "string Counter with a slot and the cache: counted once (%" PRIu64 "), the slot did not run (%d), "
              "not cached",
              n_bad(p) - bad0, counter.n);
        r = rt_set_default_zone(proxy, RT_ZONE_WORK, NULL);
        WAIT_FOR(zc.n > 0, 5 * SEC);
        check(r >= 0 && zc.n == 1 && !zc.invalidated && zc.value == RT_ZONE_WORK &&
                      rt_cached_default_zone(p, &zone) == 0 && zone == RT_ZONE_WORK,
              "a good DefaultZone reaches the slot and the cache (%d)", zc.n);

        /* two slots and no cache */
        r = rt_proxy_new(bus, RT_NAME, RT_PATH, &nc);
        if (r >= 0)
                r = dbidl_proxy_set_diagnostic_handler((dbidl_proxy *) nc, on_bad_message, &dnc);
        if (r >= 0)
                r = rt_watch_default_zone(nc, on_default_zone_changed, &nc1, &s_nc1);
        if (r >= 0)
                r = rt_watch_default_zone(nc, on_default_zone_changed, &nc2, &s_nc2);
        if (r >= 0)
                r = rt_call_force_default_zone(proxy, 99, false, 0, NULL);
        wait_bad(nc, 1);
        check(r >= 0 && n_bad(nc) == 1 && diagnosed(&dnc, 1, "u", "PropertiesChanged") && nc1.n == 0 && nc2.n == 0,
              "undeclared DefaultZone, two slots and no cache: counted once (%" PRIu64 "), no slot ran", n_bad(nc));

out:
        (void) rt_set_default_zone(proxy, RT_ZONE_HOME, NULL);
        sd_bus_slot_unref(s_zone);
        sd_bus_slot_unref(s_counter);
        sd_bus_slot_unref(s_nc1);
        sd_bus_slot_unref(s_nc2);
        rt_proxy_unref(nc);
        rt_proxy_unref(a);
        rt_proxy_unref(q);
        rt_proxy_unref(p);
        diagnostics_clear(&d);
        diagnostics_clear(&dq);
        diagnostics_clear(&da);
        diagnostics_clear(&dnc);
}

/* ---- owning a name: replacement and queueing ---- */

typedef struct ownership {
        int n_acquired, n_lost;
        bool owned;
} ownership;

static void on_name(sd_bus *bus, const char *name, int acquired, void *userdata) {
        ownership *o = userdata;
        const char *unique = NULL;
        (void) sd_bus_get_unique_name(bus, &unique);
        note("%s %s %s", unique, acquired ? "acquired" : "lost", name);
        if (acquired)
                o->n_acquired++;
        else
                o->n_lost++;
        o->owned = acquired;
}

static char *name_owner(sd_bus *bus, const char *name) {
        sd_bus_message *reply = NULL;
        const char *owner = NULL;
        char *s = NULL;
        if (sd_bus_call_method(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                               "GetNameOwner", NULL, &reply, "s", name) >= 0 &&
            sd_bus_message_read(reply, "s", &owner) >= 0)
                s = strdup(owner);
        sd_bus_message_unref(reply);
        return s;
}

static bool owner_is(sd_bus *bus, sd_bus *expected) {
        const char *unique = NULL;
        char *owner = name_owner(bus, OWNED_NAME);
        bool same = owner && sd_bus_get_unique_name(expected, &unique) >= 0 && strcmp(owner, unique) == 0;
        free(owner);
        return same;
}

static void test_own_name(sd_bus *bus) {
        sd_bus *first = NULL, *second = NULL;
        sd_bus_slot *s1 = NULL, *s2 = NULL, *s3 = NULL;
        ownership o1 = { .n_acquired = 0 }, o2 = { .n_acquired = 0 }, o3 = { .n_acquired = 0 };

        int r = dbidl_bus_open_session(&first);
        if (r >= 0)
                r = dbidl_bus_open_session(&second);
        if (!check(r >= 0, "two more connections for name ownership"))
                goto out;
        loop_add(first);
        loop_add(second);

        r = dbidl_bus_own_name(first, OWNED_NAME, SD_BUS_NAME_ALLOW_REPLACEMENT | SD_BUS_NAME_QUEUE, on_name, &o1,
                               &s1);
        WAIT_FOR(o1.n_acquired > 0, 5 * SEC);
        check(r >= 0 && o1.n_acquired == 1 && o1.owned && owner_is(bus, first),
              "first connection owns the name (allowing replacement)");

        r = dbidl_bus_own_name(second, OWNED_NAME, SD_BUS_NAME_REPLACE_EXISTING, on_name, &o2, &s2);
        WAIT_FOR(o2.n_acquired > 0 && o1.n_lost > 0, 5 * SEC);
        check(r >= 0 && o2.n_acquired == 1 && o2.owned && owner_is(bus, second),
              "second connection took it over with REPLACE_EXISTING");
        check(o1.n_lost == 1 && !o1.owned, "first connection got its lost callback (%d)", o1.n_lost);

        /* the second did not allow replacement: a third request without flags fails */
        r = dbidl_bus_own_name(bus, OWNED_NAME, 0, on_name, &o3, &s3);
        WAIT_FOR(o3.n_lost > 0 || o3.n_acquired > 0, 5 * SEC);
        check(r >= 0 && o3.n_lost == 1 && o3.n_acquired == 0, "a request without flags for a taken name fails");
        s3 = sd_bus_slot_unref(s3);

        /* the first queued (SD_BUS_NAME_QUEUE): releasing the second's slot hands the name back */
        s2 = sd_bus_slot_unref(s2);
        WAIT_FOR(o1.n_acquired > 1, 5 * SEC);
        check(o1.n_acquired == 2 && o1.owned && owner_is(bus, first),
              "released by the second, the queued first gets it back (acquired again)");
        s1 = sd_bus_slot_unref(s1);
        settle(50 * MSEC);
        char *owner = name_owner(bus, OWNED_NAME);
        check(!owner, "releasing the slot releases the name");
        free(owner);
out:
        sd_bus_slot_unref(s3);
        sd_bus_slot_unref(s2);
        sd_bus_slot_unref(s1);
        if (first) {
                loop_remove(first);
                sd_bus_flush_close_unref(first);
        }
        if (second) {
                loop_remove(second);
                sd_bus_flush_close_unref(second);
        }
}

/* ---- the service is killed and restarted ---- */

typedef struct lifecycle {
        int n_appeared, n_vanished;
        char *owner;
} lifecycle;

static void on_appeared(dbidl_proxy *p, const char *owner, void *userdata) {
        lifecycle *l = userdata;
        (void) p;
        l->n_appeared++;
        free(l->owner);
        l->owner = strdup(owner);
        note("appeared: %s", owner);
}

static void on_vanished(dbidl_proxy *p, void *userdata) {
        lifecycle *l = userdata;
        (void) p;
        l->n_vanished++;
        note("vanished");
}

static const char *service_log;

static pid_t spawn(char **argv) {
        pid_t pid = fork();
        if (pid == 0) {
                if (service_log) {
                        FILE *f = freopen(service_log, "a", stdout);
                        if (f)
                                (void) dup2(fileno(f), STDERR_FILENO);
                }
                execvp(argv[0], argv);
                fprintf(stderr, "rt-client: cannot run %s: %s\n", argv[0], strerror(errno));
                _exit(127);
        }
        return pid;
}

/* Returns the pid of the instance it started (to be stopped by the caller), or -1. */
static pid_t test_restart(rt_proxy *proxy, int kill_signal, char **service_argv) {
        lifecycle l = { .n_appeared = 0 };
        ticks t = { .n = 0 };
        sd_bus_slot *watch = NULL, *tick = NULL;
        uint32_t old_pid = 0, new_pid = 0;
        char *old_owner = NULL;
        int32_t c32 = 0;
        pid_t child = -1;

        int r = dbidl_proxy_watch((dbidl_proxy *) proxy, on_appeared, on_vanished, &l, &watch);
        WAIT_FOR(l.n_appeared > 0, 5 * SEC);
        check(r >= 0 && l.n_appeared == 1 && l.owner, "watch: appeared at once for the running service (%s)",
              l.owner ? l.owner : "-");
        old_owner = l.owner ? strdup(l.owner) : NULL;
        r = rt_connect_tick(proxy, on_tick, &t, &tick);
        if (r >= 0)
                r = dbidl_proxy_enable_cache((dbidl_proxy *) proxy);
        if (r >= 0)
                r = rt_call_set_counter(proxy, 99, 0, NULL);
        WAIT_FOR(rt_cached_counter(proxy, &c32) == 0 && c32 == 99, 5 * SEC);
        check(r >= 0 && c32 == 99, "cache holds the old instance's Counter 99");
        r = rt_call_whoami(proxy, NULL, NULL, &old_pid, 0, NULL);
        if (!check(r >= 0 && old_pid > 0, "old instance's pid %" PRIu32, old_pid))
                goto out;

        note("killing %" PRIu32 " with %s", old_pid, strsignal(kill_signal));
        kill((pid_t) old_pid, kill_signal);
        WAIT_FOR(l.n_vanished > 0, 30 * SEC);
        check(l.n_vanished == 1, "watch: vanished when the service died");
        check(!dbidl_proxy_get_owner((dbidl_proxy *) proxy), "the proxy knows there is no owner");
        r = rt_cached_counter(proxy, &c32);
        check(r == -ENODATA, "the cache is empty while the service is gone (%d)", r);

        child = spawn(service_argv);
        if (!check(child > 0, "started a new instance: %s", service_argv[0]))
                goto out;
        WAIT_FOR(l.n_appeared > 1, 30 * SEC);
        check(l.n_appeared == 2 && l.owner && old_owner && strcmp(l.owner, old_owner) != 0,
              "watch: appeared again with a new owner (%s)", l.owner ? l.owner : "-");
        const char *owner = dbidl_proxy_get_owner((dbidl_proxy *) proxy);
        check(owner && l.owner && strcmp(owner, l.owner) == 0, "the proxy follows the new owner");
        WAIT_FOR(rt_cached_counter(proxy, &c32) == 0, 5 * SEC);
        check(rt_cached_counter(proxy, &c32) == 0 && c32 == 0,
              "the cache was reloaded from the new instance (Counter %" PRIi32 ")", c32);

        r = rt_call_whoami(proxy, NULL, NULL, &new_pid, 0, NULL);
        check(r >= 0 && new_pid == (uint32_t) child, "calls reach the new instance (pid %" PRIu32 ")", new_pid);
        r = rt_call_send_tick(proxy, 11, 0, NULL);
        WAIT_FOR(t.n > 0, 5 * SEC);
        check(t.n == 1 && t.value == 11 && t.service_pid == new_pid,
              "the signal slot connected before the restart receives the new instance's Tick (%" PRIi32
              " from %" PRIu32 ")",
              t.value, t.service_pid);
out:
        sd_bus_slot_unref(tick);
        sd_bus_slot_unref(watch);
        free(old_owner);
        free(l.owner);
        return child;
}

/* Stop an instance we started: SIGTERM, and it must exit 0 (valgrind's error code otherwise). */
static void stop_child(pid_t child) {
        int status = 0;
        kill(child, SIGTERM);
        for (int i = 0; i < 300; i++) {
                pid_t r = waitpid(child, &status, WNOHANG);
                if (r == child) {
                        check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                              "the restarted instance exited cleanly on SIGTERM (status %d)",
                              WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
                        return;
                }
                usleep(100 * 1000);
        }
        kill(child, SIGKILL);
        (void) waitpid(child, &status, 0);
        check(false, "the restarted instance did not exit within 30 s of SIGTERM");
}

/* ---- D-Bus activation ---- */

static int run_activation(const char *name) {
        sd_bus *bus = NULL;
        rt_proxy *p = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int32_t result = 0;
        int r = dbidl_bus_open_session(&bus);
        if (r >= 0) {
                char *owner = name_owner(bus, name);
                check(!owner, "%s is not running before the call", name);
                free(owner);
                r = rt_proxy_new(bus, name, RT_PATH, &p);
        }
        if (r >= 0)
                r = rt_call_double(p, 21, &result, 30 * SEC, &error);
        check(r >= 0 && result == 42, "calling %s started it (D-Bus activation): Double(21) = %" PRIi32 " (%s)", name,
              result, r < 0 ? error_text(&error) : "ok");
        sd_bus_error_free(&error);
        rt_proxy_unref(p);
        sd_bus_flush_close_unref(bus);
        printf("%u passed, %u failed\n", n_checks - n_failed, n_failed);
        return n_failed ? 1 : 0;
}

int main(int argc, char **argv) {
        sd_bus *bus = NULL;
        rt_proxy *proxy = NULL;
        int kill_signal = SIGKILL;
        char **service_argv = NULL;
        uint32_t service_pid = 0;
        int r;

        setvbuf(stdout, NULL, _IOLBF, 0);
        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--activate") == 0 && i + 1 < argc)
                        return run_activation(argv[i + 1]);
                if (strcmp(argv[i], "--kill-signal") == 0 && i + 1 < argc) {
                        i++;
                        kill_signal = strcmp(argv[i], "TERM") == 0 ? SIGTERM : SIGKILL;
                } else if (strcmp(argv[i], "--log") == 0 && i + 1 < argc)
                        service_log = argv[++i];
                else if (strcmp(argv[i], "--") == 0 && i + 1 < argc) {
                        service_argv = argv + i + 1;
                        break;
                } else {
                        fprintf(stderr, "Usage: rt-client [--kill-signal TERM|KILL] [--log FILE] -- SERVICE…\n"
                                        "       rt-client --activate NAME\n");
                        return 2;
                }
        }
        if (!service_argv) {
                fprintf(stderr, "rt-client: the service command is missing (after --)\n");
                return 2;
        }

        r = dbidl_bus_open_session(&bus);
        if (r < 0) {
                fprintf(stderr, "rt-client: cannot connect to the session bus: %s\n", strerror(-r));
                return 1;
        }
        loop_add(bus);
        r = rt_proxy_new(bus, RT_NAME, RT_PATH, &proxy);
        if (r < 0) {
                fprintf(stderr, "rt-client: cannot create the proxy: %s\n", strerror(-r));
                sd_bus_flush_close_unref(bus);
                return 1;
        }
        r = rt_call_whoami(proxy, NULL, NULL, &service_pid, 5 * SEC, NULL);
        check(r >= 0, "the service answers (pid %" PRIu32 ")", service_pid);

        test_reply_self(bus, proxy);
        test_empty_arrays(bus, proxy);
        test_async_order(proxy);
        test_deferred(proxy);
        test_timeouts(bus, proxy);
        test_cancel_on_disconnect(proxy);
        test_identity(proxy);
        test_cache(bus);
        test_readonly(proxy);
        test_kept(bus);
        test_kept_own_loop(bus);
        test_signals(proxy, service_pid);
        test_bad_signal_values(proxy);
        test_bad_replies(proxy);
        test_bad_properties(bus, proxy);
        test_own_name(bus);
        pid_t child = test_restart(proxy, kill_signal, service_argv);

        rt_proxy_unref(proxy);
        loop_remove(bus);
        sd_bus_flush_close_unref(bus);
        if (child > 0)
                stop_child(child);
        printf("%u passed, %u failed\n", n_checks - n_failed, n_failed);
        return n_failed ? 1 : 0;
}
