/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/runtime/rt-service.c — rt-service: serves org.dbidl.RuntimeTest1 (rt.idl) for rt-client and runtime.sh */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-event.h>

#include "rt.h"

#define RT_PATH "/org/dbidl/RuntimeTest1"
#define RT_NAME "org.dbidl.RuntimeTest1"
#define KEPT_PATH RT_PATH "/kept"
#define KEPT_ORIGIN "/org/dbidl/Origin"
#define DELAY_USEC (100 * 1000)
/* a Zone the IDL does not declare: what the bad-value checks send (the skeleton sends outputs unchecked) */
#define UNDECLARED_ZONE ((rt_Zone) 99)

typedef struct item item;
struct item {
        item *next;
        char *path;
        char *name;
        sd_bus_slot *slot;
};

typedef struct waiter waiter;

typedef struct service {
        sd_bus *bus;
        sd_event *event;
        char *label;
        int32_t counter;
        uint32_t generation;
        rt_Zone default_zone;           /* undeclared after ForceDefaultZone(99) */
        uint32_t pending;               /* Never calls waiting */
        uint32_t cancelled;             /* Never calls whose caller went away */
        waiter *waiters;                /* every deferred call not answered yet */
        item *items;
        int closing;                    /* the bus is going away: no more PropertiesChanged */
        uint32_t epoch;                 /* Kept.Epoch: Bump counts it up */
} service;

/* A deferred call: Delayed (answered from its timer) or Never (answered only at shutdown). */
struct waiter {
        waiter *prev, *next;
        service *service;
        dbidl_pending *pending;
        sd_event_source *timer;         /* Delayed only */
        int32_t value;
        bool fail;
};

static void notify(service *s, int (*fn)(sd_bus *, const char *)) {
        if (s->closing)
                return;
        int r = fn(s->bus, RT_PATH);
        if (r < 0)
                fprintf(stderr, "rt-service: PropertiesChanged failed: %s\n", strerror(-r));
}

static int on_double(sd_bus_message *call, void *userdata, int32_t value, int32_t *ret_result,
                     sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        (void) ret_error;
        *ret_result = value * 2;
        return 0;
}

static waiter *waiter_new(service *s) {
        waiter *w = calloc(1, sizeof(*w));
        if (!w)
                return NULL;
        w->service = s;
        w->next = s->waiters;
        if (w->next)
                w->next->prev = w;
        s->waiters = w;
        return w;
}

/* Forget a waiter whose call was answered or cancelled (or never deferred). */
static void waiter_free(waiter *w) {
        if (w->prev)
                w->prev->next = w->next;
        else
                w->service->waiters = w->next;
        if (w->next)
                w->next->prev = w->prev;
        sd_event_source_disable_unref(w->timer);
        free(w);
}

static int on_delay_elapsed(sd_event_source *source, uint64_t usec, void *userdata) {
        waiter *w = userdata;
        int r;
        (void) source;
        (void) usec;
        if (w->fail) {
                printf("Delayed(%" PRIi32 "): answering Refused\n", w->value);
                r = rt_fail_refused(w->pending, "Delayed was asked to refuse %" PRIi32, w->value);
        } else {
                printf("Delayed(%" PRIi32 "): answering %" PRIi32 "\n", w->value, w->value + 1);
                r = rt_reply_delayed(w->pending, w->value + 1);
        }
        if (r < 0)
                fprintf(stderr, "rt-service: deferred reply failed: %s\n", strerror(-r));
        /* the reply consumed the pending call */
        waiter_free(w);
        return 0;
}

static void on_delayed_cancelled(dbidl_pending *pending, void *userdata) {
        waiter *w = userdata;
        (void) pending;
        printf("Delayed(%" PRIi32 "): the caller went away\n", w->value);
        waiter_free(w);
}

static int on_delayed(sd_bus_message *call, void *userdata, int32_t value, bool fail, int32_t *ret_result,
                      sd_bus_error *ret_error) {
        service *s = userdata;
        (void) ret_result;
        (void) ret_error;
        waiter *w = waiter_new(s);
        if (!w)
                return -ENOMEM;
        w->value = value;
        w->fail = fail;
        /* accuracy 1 ms: sd-event's default (0) lets a timer slip by up to 250 ms */
        int r = sd_event_add_time_relative(s->event, &w->timer, CLOCK_MONOTONIC, DELAY_USEC, 1000,
                                           on_delay_elapsed, w);
        if (r >= 0)
                r = dbidl_defer(call, on_delayed_cancelled, w, &w->pending);
        if (r < 0)
                waiter_free(w);
        return r; /* DBIDL_DEFERRED */
}

static void on_never_cancelled(dbidl_pending *pending, void *userdata) {
        waiter *w = userdata;
        service *s = w->service;
        (void) pending;
        waiter_free(w);
        s->pending--;
        s->cancelled++;
        printf("Never: the caller went away (pending %" PRIu32 ", cancelled %" PRIu32 ")\n", s->pending,
               s->cancelled);
        notify(s, rt_notify_pending);
        notify(s, rt_notify_cancelled);
}

/* Never and Keep: defer `call` until its caller goes away or the service shuts down. */
static int defer_forever(service *s, sd_bus_message *call) {
        waiter *w = waiter_new(s);
        if (!w)
                return -ENOMEM;
        int r = dbidl_defer(call, on_never_cancelled, w, &w->pending);
        if (r < 0) {
                waiter_free(w);
                return r;
        }
        /* not answered until the caller goes away (the runtime cancels it) or the service shuts down */
        s->pending++;
        printf("Never: deferred from %s (pending %" PRIu32 ")\n", dbidl_call_get_sender(call), s->pending);
        notify(s, rt_notify_pending);
        return r;
}

static int on_never(sd_bus_message *call, void *userdata, sd_bus_error *ret_error) {
        (void) ret_error;
        return defer_forever(userdata, call);
}

static int on_keep(sd_bus_message *call, void *userdata, const uint8_t *data, size_t n_data,
                   sd_bus_error *ret_error) {
        (void) data, (void) n_data, (void) ret_error;
        return defer_forever(userdata, call);
}

/*
 * Shutting down: answer every deferred call still waiting with an error.  A kept call holds a reference
 * to the bus (every sd_bus_message reference does), so pending calls must be answered before the bus
 * can be freed.
 */
static void answer_waiters(service *s) {
        unsigned n = 0;
        while (s->waiters) {
                waiter *w = s->waiters;
                (void) dbidl_pending_reply_errno(w->pending, ESHUTDOWN);
                waiter_free(w);
                n++;
        }
        printf("rt-service: answered %u waiting deferred calls with an error\n", n);
}

static int on_whoami(sd_bus_message *call, void *userdata, uint32_t *ret_uid, uint32_t *ret_pid,
                     uint32_t *ret_service_pid, sd_bus_error *ret_error) {
        uid_t uid;
        pid_t pid;
        (void) userdata;
        int r = dbidl_call_get_uid(call, &uid);
        if (r >= 0)
                r = dbidl_call_get_pid(call, &pid);
        if (r < 0)
                return sd_bus_error_set_errnof(ret_error, r, "cannot tell who the caller is: %s", strerror(-r));
        *ret_uid = (uint32_t) uid;
        *ret_pid = (uint32_t) pid;
        *ret_service_pid = (uint32_t) getpid();
        return 0;
}

static int on_send_tick(sd_bus_message *call, void *userdata, int32_t value, sd_bus_error *ret_error) {
        service *s = userdata;
        (void) call;
        (void) ret_error;
        return rt_emit_tick(s->bus, RT_PATH, value, (uint32_t) getpid());
}

static int on_send_bad_tick(sd_bus_message *call, void *userdata, sd_bus_error *ret_error) {
        service *s = userdata;
        (void) call;
        (void) ret_error;
        /* the right member, the wrong signature: clients must count it, not deliver it */
        int r = sd_bus_emit_signal(s->bus, RT_PATH, RT_INTERFACE, "Tick", "s", "not an int32 and a uint32");
        return r < 0 ? r : 0; /* sd-bus's 1 would mean "replied already" */
}

static int on_set_counter(sd_bus_message *call, void *userdata, int32_t value, sd_bus_error *ret_error) {
        service *s = userdata;
        (void) call;
        (void) ret_error;
        s->counter = value;
        notify(s, rt_notify_counter);
        return 0;
}

static int on_set_generation(sd_bus_message *call, void *userdata, uint32_t value, sd_bus_error *ret_error) {
        service *s = userdata;
        (void) call;
        (void) ret_error;
        s->generation = value;
        notify(s, rt_notify_generation);
        return 0;
}

static int on_get_zone(sd_bus_message *call, void *userdata, bool broken, rt_Zone *ret_zone, sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        (void) ret_error;
        *ret_zone = broken ? UNDECLARED_ZONE : RT_ZONE_HOME;
        return 0;
}

static int on_get_place(sd_bus_message *call, void *userdata, bool broken, rt_Place *ret_place,
                        sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        (void) ret_error;
        ret_place->name = strdup("office");
        if (!ret_place->name)
                return -ENOMEM;
        ret_place->zone = broken ? UNDECLARED_ZONE : RT_ZONE_WORK;
        return 0;
}

static int on_send_moved(sd_bus_message *call, void *userdata, bool zone_broken, bool place_broken,
                         sd_bus_error *ret_error) {
        service *s = userdata;
        (void) call;
        (void) ret_error;
        rt_Place home = { .name = (char *) "home", .zone = place_broken ? UNDECLARED_ZONE : RT_ZONE_HOME };
        return rt_emit_moved(s->bus, RT_PATH, zone_broken ? UNDECLARED_ZONE : RT_ZONE_WORK, &home);
}

static int on_force_default_zone(sd_bus_message *call, void *userdata, uint32_t value, bool invalidate,
                                 sd_bus_error *ret_error) {
        service *s = userdata;
        (void) call;
        (void) ret_error;
        s->default_zone = (rt_Zone) value;
        if (!invalidate) {
                notify(s, rt_notify_default_zone);
                return 0;
        }
        /* DefaultZone is @emits(change): only a PropertiesChanged of our own lists it as invalidated */
        sd_bus_message *m = NULL;
        int r = sd_bus_message_new_signal(s->bus, &m, RT_PATH, "org.freedesktop.DBus.Properties", "PropertiesChanged");
        if (r >= 0)
                r = sd_bus_message_append(m, "sa{sv}as", RT_INTERFACE, 0, 1, "DefaultZone");
        if (r >= 0)
                r = sd_bus_send(s->bus, m, NULL);
        sd_bus_message_unref(m);
        return r < 0 ? r : 0; /* sd-bus's 1 would mean "replied already" */
}

static int on_send_bad_counter(sd_bus_message *call, void *userdata, sd_bus_error *ret_error) {
        service *s = userdata;
        (void) call;
        (void) ret_error;
        /* a string where the IDL says int32: clients must count it, and keep no such value */
        int r = sd_bus_emit_signal(s->bus, RT_PATH, "org.freedesktop.DBus.Properties", "PropertiesChanged",
                                   "sa{sv}as", RT_INTERFACE, 1, "Counter", "s", "seven", 0);
        return r < 0 ? r : 0; /* sd-bus's 1 would mean "replied already" */
}

/* Every output left as the skeleton set it up (NULL, 0, _init()): each goes out as an empty array. */
static int on_empty_arrays(sd_bus_message *call, void *userdata, char ***ret_strings, char ***ret_paths,
                           char ***ret_sigs, uint8_t **ret_octets, size_t *ret_n_octets, int32_t **ret_numbers,
                           size_t *ret_n_numbers, bool **ret_bits, size_t *ret_n_bits, int **ret_fds,
                           size_t *ret_n_fds, dbidl_variant ***ret_variants, size_t *ret_n_variants,
                           dbidl_dict ***ret_dicts, size_t *ret_n_dicts, rt_PlaceArray *ret_places,
                           rt_StringArrayArray *ret_lists, rt_ZoneArray *ret_zones, rt_StringInt32Dict *ret_counts,
                           rt_Tags *ret_tags, sd_bus_error *ret_error) {
        (void) call, (void) userdata, (void) ret_strings, (void) ret_paths, (void) ret_sigs, (void) ret_octets;
        (void) ret_n_octets, (void) ret_numbers, (void) ret_n_numbers, (void) ret_bits, (void) ret_n_bits;
        (void) ret_fds, (void) ret_n_fds, (void) ret_variants, (void) ret_n_variants, (void) ret_dicts;
        (void) ret_n_dicts, (void) ret_places, (void) ret_lists, (void) ret_zones, (void) ret_counts, (void) ret_tags;
        (void) ret_error;
        return 0;
}

static int on_send_emptied(sd_bus_message *call, void *userdata, sd_bus_error *ret_error) {
        service *s = userdata;
        rt_PlaceArray places;
        (void) call;
        (void) ret_error;
        rt_PlaceArray_init(&places);
        return rt_emit_emptied(s->bus, RT_PATH, NULL, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, &places);
}

/*
 * Answers itself, as an sd-bus handler would, and returns sd-bus's positive result: the skeleton must
 * send nothing more, and free the string stored in ret_text (leak checkers see it if not).
 */
static int on_reply_self(sd_bus_message *call, void *userdata, char **ret_text, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_error;
        *ret_text = strdup("from ret_text");
        if (!*ret_text)
                return -ENOMEM;
        int r = sd_bus_reply_method_return(call, "s", "from the handler");
        printf("ReplySelf: sd_bus_reply_method_return() returned %d\n", r);
        return r;
}

static int get_empty_strings(void *userdata, char ***ret_value, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_value;
        (void) ret_error;
        return 0;
}

static int get_empty_numbers(void *userdata, int32_t **ret_value, size_t *ret_n_value, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_value;
        (void) ret_n_value;
        (void) ret_error;
        return 0;
}

static int get_empty_places(void *userdata, rt_PlaceArray *ret_value, sd_bus_error *ret_error) {
        (void) userdata;
        (void) ret_value;
        (void) ret_error;
        return 0;
}

static int get_item_name(void *userdata, char **ret_value, sd_bus_error *ret_error) {
        item *it = userdata;
        (void) ret_error;
        *ret_value = strdup(it->name);
        return *ret_value ? 0 : -ENOMEM;
}

static const rt_item_handlers item_handlers = {
        .get_name = get_item_name,
};

static void item_free(item *it) {
        sd_bus_slot_unref(it->slot); /* unexports: InterfacesRemoved */
        free(it->path);
        free(it->name);
        free(it);
}

static int on_add_item(sd_bus_message *call, void *userdata, const char *path, const char *name,
                       sd_bus_error *ret_error) {
        service *s = userdata;
        (void) call;
        item *it = calloc(1, sizeof(*it));
        if (!it)
                return -ENOMEM;
        it->path = strdup(path);
        it->name = strdup(name);
        if (!it->path || !it->name) {
                item_free(it);
                return -ENOMEM;
        }
        int r = rt_item_export(s->bus, path, &item_handlers, it, &it->slot);
        if (r < 0) {
                item_free(it);
                return sd_bus_error_set_errnof(ret_error, r, "cannot export %s: %s", path, strerror(-r));
        }
        it->next = s->items;
        s->items = it;
        printf("AddItem(%s, %s)\n", path, name);
        return 0;
}

static int on_remove_item(sd_bus_message *call, void *userdata, const char *path, sd_bus_error *ret_error) {
        service *s = userdata;
        (void) call;
        for (item **p = &s->items; *p; p = &(*p)->next)
                if (strcmp((*p)->path, path) == 0) {
                        item *it = *p;
                        *p = it->next;
                        item_free(it);
                        printf("RemoveItem(%s)\n", path);
                        return 0;
                }
        return sd_bus_error_setf(ret_error, SD_BUS_ERROR_UNKNOWN_OBJECT, "no item at %s", path);
}

static int get_label(void *userdata, char **ret_value, sd_bus_error *ret_error) {
        service *s = userdata;
        (void) ret_error;
        *ret_value = strdup(s->label);
        return *ret_value ? 0 : -ENOMEM;
}

static int set_label(void *userdata, const char *value, sd_bus_error *ret_error) {
        service *s = userdata;
        (void) ret_error;
        char *copy = strdup(value);
        if (!copy)
                return -ENOMEM;
        free(s->label);
        s->label = copy;
        printf("Label = \"%s\"\n", value);
        return 0;
}

static int get_counter(void *userdata, int32_t *ret_value, sd_bus_error *ret_error) {
        service *s = userdata;
        (void) ret_error;
        *ret_value = s->counter;
        return 0;
}

static int get_generation(void *userdata, uint32_t *ret_value, sd_bus_error *ret_error) {
        service *s = userdata;
        (void) ret_error;
        *ret_value = s->generation;
        return 0;
}

static int get_default_zone(void *userdata, rt_Zone *ret_value, sd_bus_error *ret_error) {
        service *s = userdata;
        (void) ret_error;
        *ret_value = s->default_zone;
        return 0;
}

static int set_default_zone(void *userdata, rt_Zone value, sd_bus_error *ret_error) {
        service *s = userdata;
        (void) ret_error;
        s->default_zone = value;
        printf("DefaultZone = %s\n", rt_Zone_to_string(value));
        return 0;
}

static int get_pending(void *userdata, uint32_t *ret_value, sd_bus_error *ret_error) {
        service *s = userdata;
        (void) ret_error;
        *ret_value = s->pending;
        return 0;
}

static int get_cancelled(void *userdata, uint32_t *ret_value, sd_bus_error *ret_error) {
        service *s = userdata;
        (void) ret_error;
        *ret_value = s->cancelled;
        return 0;
}

/* ---- org.dbidl.RuntimeTest1.Kept: @stored, the skeleton keeps the values ---- */

/* Six values stored in one handler: they must leave as one PropertiesChanged (Quiet in none of them). */
static int on_bump(sd_bus_message *call, void *userdata, int32_t count, const char *title, sd_bus_error *ret_error) {
        service *s = userdata;
        char *const tags[] = { (char *) title, (char *) title, NULL };
        const rt_kept_Pair where = { .number = count, .text = (char *) title };
        int r;
        (void) call;
        (void) ret_error;
        r = rt_kept_store_count(s->bus, KEPT_PATH, count);
        if (r >= 0)
                r = rt_kept_store_title(s->bus, KEPT_PATH, title);
        if (r >= 0)
                r = rt_kept_store_tags(s->bus, KEPT_PATH, tags);
        if (r >= 0)
                r = rt_kept_store_where(s->bus, KEPT_PATH, &where);
        if (r >= 0)
                r = rt_kept_store_epoch(s->bus, KEPT_PATH, ++s->epoch);
        if (r >= 0)
                r = rt_kept_store_quiet(s->bus, KEPT_PATH, count);
        return r < 0 ? r : 0;
}

/* Vets a remote Set of Mode: "bad" is refused, anything else is kept by the skeleton. */
static int on_set_mode(void *userdata, const char *value, sd_bus_error *ret_error) {
        (void) userdata;
        if (strcmp(value, "bad") == 0)
                return sd_bus_error_setf(ret_error, SD_BUS_ERROR_INVALID_ARGS, "Mode 'bad' is refused");
        return 0;
}

static const rt_kept_handlers kept_handlers = {
        .handle_bump = on_bump,
        .set_mode = on_set_mode,
};

/* Export Kept and store its const Origin; what P_store_m() answers is checked here, at startup. */
static int export_kept(service *s) {
        int r = rt_kept_export(s->bus, KEPT_PATH, &kept_handlers, s, NULL);
        if (r < 0)
                return r;
        r = rt_kept_store_origin(s->bus, KEPT_PATH, KEPT_ORIGIN);
        if (r != 1) {
                fprintf(stderr, "rt-service: the first store of const Origin gave %d, not 1\n", r);
                return r < 0 ? r : -EIO;
        }
        r = rt_kept_store_origin(s->bus, KEPT_PATH, KEPT_ORIGIN);
        if (r != 0) {
                fprintf(stderr, "rt-service: storing Origin's own value again gave %d, not 0\n", r);
                return r < 0 ? r : -EIO;
        }
        r = rt_kept_store_origin(s->bus, KEPT_PATH, "/elsewhere");
        if (r != -EPERM) {
                fprintf(stderr, "rt-service: changing const Origin gave %d, not -EPERM\n", r);
                return r < 0 ? r : -EIO;
        }
        r = rt_kept_store_count(s->bus, RT_PATH "/nothing", 1);
        if (r != -ENOENT) {
                fprintf(stderr, "rt-service: a store where nothing is exported gave %d, not -ENOENT\n", r);
                return r < 0 ? r : -EIO;
        }
        return 0;
}

static const rt_handlers handlers = {
        .handle_double = on_double,
        .handle_delayed = on_delayed,
        .handle_never = on_never,
        .handle_keep = on_keep,
        .handle_whoami = on_whoami,
        .handle_send_tick = on_send_tick,
        .handle_send_bad_tick = on_send_bad_tick,
        .handle_set_counter = on_set_counter,
        .handle_set_generation = on_set_generation,
        .handle_add_item = on_add_item,
        .handle_remove_item = on_remove_item,
        .handle_get_zone = on_get_zone,
        .handle_get_place = on_get_place,
        .handle_send_moved = on_send_moved,
        .handle_force_default_zone = on_force_default_zone,
        .handle_send_bad_counter = on_send_bad_counter,
        .handle_empty_arrays = on_empty_arrays,
        .handle_send_emptied = on_send_emptied,
        .handle_reply_self = on_reply_self,
        .get_label = get_label,
        .set_label = set_label,
        .get_counter = get_counter,
        .get_generation = get_generation,
        .get_default_zone = get_default_zone,
        .set_default_zone = set_default_zone,
        .get_pending = get_pending,
        .get_cancelled = get_cancelled,
        .get_empty_strings = get_empty_strings,
        .get_empty_numbers = get_empty_numbers,
        .get_empty_places = get_empty_places,
};

int main(int argc, char **argv) {
        service s = { .label = strdup("initial") };
        const char *name = RT_NAME;
        int r;

        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
                        name = argv[++i];
                else if (strcmp(argv[i], "--pending-limit") == 0 && i + 1 < argc)
                        (void) dbidl_limit_set(DBIDL_LIMIT_PENDING_PER_PEER, strtoull(argv[++i], NULL, 10));
                else if (strcmp(argv[i], "--pending-bytes") == 0 && i + 1 < argc)
                        (void) dbidl_limit_set(DBIDL_LIMIT_PENDING_BYTES_PER_PEER, strtoull(argv[++i], NULL, 10));
                else {
                        printf("Usage: rt-service [--name NAME] [--pending-limit N] [--pending-bytes BYTES]\n"
                               "Serve %s at %s, with an object manager at /, as NAME (default %s) on the session\n"
                               "bus until SIGTERM; with --pending-limit, each caller may have N deferred calls, with\n"
                               "--pending-bytes, holding BYTES bytes of arguments.\n",
                               RT_INTERFACE, RT_PATH, RT_NAME);
                        free(s.label);
                        return strcmp(argv[i], "--help") == 0 ? 0 : 2;
                }
        }
        setvbuf(stdout, NULL, _IOLBF, 0);
        if (!s.label)
                return 1;

        r = sd_event_new(&s.event);
        if (r < 0) {
                fprintf(stderr, "rt-service: cannot create an event loop: %s\n", strerror(-r));
                free(s.label);
                return 1;
        }
        r = dbidl_bus_open_session(&s.bus);
        if (r < 0) {
                fprintf(stderr, "rt-service: cannot connect to the session bus: %s\n", strerror(-r));
                goto out;
        }
        r = dbidl_bus_add_object_manager(s.bus, "/", NULL);
        if (r < 0) {
                fprintf(stderr, "rt-service: cannot serve an object manager: %s\n", strerror(-r));
                goto out;
        }
        r = rt_export(s.bus, RT_PATH, &handlers, &s, NULL);
        if (r < 0) {
                fprintf(stderr, "rt-service: cannot export %s: %s\n", RT_PATH, strerror(-r));
                goto out;
        }
        r = export_kept(&s);
        if (r < 0) {
                fprintf(stderr, "rt-service: cannot export %s: %s\n", KEPT_PATH, strerror(-r));
                goto out;
        }
        r = dbidl_bus_request_name(s.bus, name, 0);
        if (r <= 0) {
                fprintf(stderr, "rt-service: cannot own %s: %s\n", name, r < 0 ? strerror(-r) : "queued");
                r = r < 0 ? r : -EEXIST;
                goto out;
        }
        printf("rt-service: serving %s at %s as %s, pid %d\n", RT_INTERFACE, RT_PATH, name, (int) getpid());
        r = dbidl_bus_run(s.bus, s.event);
        if (r < 0)
                fprintf(stderr, "rt-service: event loop failed: %s\n", strerror(-r));
        answer_waiters(&s);
out:
        while (s.items) {
                item *it = s.items;
                s.items = it->next;
                item_free(it);
        }
        s.closing = 1;
        sd_bus_flush_close_unref(s.bus);
        sd_event_unref(s.event);
        free(s.label);
        return r < 0 ? 1 : 0;
}
