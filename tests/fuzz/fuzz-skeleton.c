/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/fuzz/fuzz-skeleton.c — libFuzzer target for generated skeletons and the runtime: fuzzed calls over a socketpair */

/*
 * The service side is the real thing: the skeletons dbidlc generates from
 * examples/types/types.idl and tests/runtime/rt.idl (their vtables, their
 * handler adapters) and all of libdbidl, compiled into this program with the
 * fuzzer's instrumentation, serve on one end of a peer-to-peer connection
 * over a socketpair:
 *
 *   /org/dbidl/Types1  org.dbidl.Types1, with handlers that echo their inputs
 *                      back and emit the interface's signals, as
 *                      examples/types/service.c does
 *   /org/dbidl/Kept    org.dbidl.RuntimeTest1.Kept, @stored: the skeleton
 *                      keeps the property values; Bump stores six of them
 *   /org/dbidl/Bare    org.dbidl.Types1 again, without a single handler
 *   /org/dbidl         an object manager
 *
 * The other end is a plain sd-bus connection that sends one method call per
 * input, built with sd-bus's own append functions from the input's bytes
 * (the wire format is sd-bus's, never ours).
 *
 * The input is read once, front to back:
 *
 *   byte 0   the target: a method of the object's interface (0-6, modulo
 *            its number of methods), Properties.Get, .Set, .GetAll (7-9), an
 *            unknown member of the interface (10), a member of an unknown
 *            interface (11), a member at an unknown path (12), a member
 *            without an interface field (13), Introspect (14) or
 *            ObjectManager.GetManagedObjects (15), modulo 16
 *   byte 1   bits 0-1: the body's signature: 0, 1 the target's own, 2 the
 *            own one with its last type dropped or one type more (next byte,
 *            bit 0), 3 a random one (next byte: how many complete types);
 *            bits 2-4: how the handler answers (reply_mode below);
 *            bits 5-6: the object (Types1, Kept, Bare, Types1)
 *   then     for a member that is not a method, one or two bytes choosing it
 *            (and the path for 12, 14, 15); for Properties calls with their
 *            own signature, the interface name (ours, "", another), the
 *            property name (any member's, or one that is not), and for Set
 *            whether the variant holds the property's own type (bit 0 clear)
 *            or a random one; then the values.
 *
 * Values follow their type: integers take their width in bytes (little
 * endian), strings a length byte and that many bytes (a NUL ends them
 * early), object paths and signatures are made valid from their bytes, an
 * array a count byte, a variant its contained type from the bytes; a missing
 * byte reads as 0, so every input is a call.  Nesting, counts, strings and
 * fds are bounded (MAX_*), which keeps each run to a few hundred
 * microseconds.  tests/fuzz/skeleton-seeds.py writes seeds in this format.
 *
 * What is checked, besides ASan, UBSan and LeakSanitizer: every call gets
 * exactly one reply, a method return or an error (abort() when both ends are
 * idle without one, or on a second one); neither end loses the connection;
 * no file descriptor outlives the input.  The service's state (the
 * properties' values, the stored ones) is reset before every input, so that
 * an input replays alone.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-id128.h>

#include "rt.h"
#include "types.h"
#include "examples/types/copy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TYPES_PATH "/org/dbidl/Types1"
#define KEPT_PATH "/org/dbidl/Kept"
#define BARE_PATH "/org/dbidl/Bare"

#define MAX_DEPTH 6             /* containers in containers, variants included */
#define MAX_VALUES 256          /* values (basic or container) in one message */
#define MAX_ITEMS 7             /* elements of one array */
#define MAX_STRING 31           /* bytes of one string */
#define MAX_FDS 16              /* fds in one message */
#define MAX_SIG 255             /* the D-Bus limit of a signature's length */
/*
 * A message body's signature: one less.  sd-bus (libsystemd 252) builds and sends a call whose body signature is
 * 255 characters long, but the receiving sd-bus drops it without a word, before any filter or vtable sees it, so
 * nothing of ours could answer (found by this fuzzer; a plain sd-bus pair shows it: 254 'y' arrive, 255 do not).
 */
#define MAX_BODY_SIG 254

static void die(const char *what, int r) {
        fprintf(stderr, "fuzz-skeleton: %s%s%s\n", what, r < 0 ? ": " : "", r < 0 ? strerror(-r) : "");
        abort();
}

/* ---- reading the input ---- */

typedef struct input {
        const uint8_t *p;
        size_t n;
} input;

static uint8_t take(input *in) {
        if (in->n == 0)
                return 0;
        in->n--;
        return *in->p++;
}

/* `bytes` bytes, little endian */
static uint64_t take_le(input *in, unsigned bytes) {
        uint64_t v = 0;
        for (unsigned i = 0; i < bytes; i++)
                v |= (uint64_t) take(in) << (8 * i);
        return v;
}

/* ---- random signatures ---- */

typedef struct sig {
        char s[MAX_SIG + 1];
        size_t len;
} sig;

static bool sig_push(sig *g, char c) {
        if (g->len >= MAX_SIG)
                return false;
        g->s[g->len++] = c;
        g->s[g->len] = '\0';
        return true;
}

static const char basic_types[] = "ybnqiuxtdsogh";

static bool gen_basic(input *in, sig *g) {
        return sig_push(g, basic_types[take(in) % (sizeof(basic_types) - 1)]);
}

/* One complete type from the input, appended to g; false when g is full. Containers only above MAX_DEPTH. */
static bool gen_type(input *in, sig *g, unsigned depth) {
        uint8_t b = take(in);
        unsigned kind = depth >= MAX_DEPTH ? 0 : b % 8;

        switch (kind) {
        case 4:
                return sig_push(g, 'v');
        case 5:
                return sig_push(g, 'a') && gen_type(in, g, depth + 1);
        case 6: {
                unsigned n = 1 + (b >> 3) % 4;
                if (!sig_push(g, '('))
                        return false;
                for (unsigned i = 0; i < n; i++)
                        if (!gen_type(in, g, depth + 1))
                                return false;
                return sig_push(g, ')');
        }
        case 7:
                return sig_push(g, 'a') && sig_push(g, '{') && gen_basic(in, g) && gen_type(in, g, depth + 1) &&
                       sig_push(g, '}');
        default:
                return gen_basic(in, g);
        }
}

/* The length of the complete type at t (a valid signature). */
static size_t type_len(const char *t) {
        if (*t == 'a')
                return 1 + type_len(t + 1);
        if (*t == '(' || *t == '{') {
                char end = *t == '(' ? ')' : '}';
                size_t i = 1;
                while (t[i] && t[i] != end)
                        i += type_len(t + i);
                return i + 1;
        }
        return 1;
}

/* ---- values ---- */

typedef struct builder {
        input *in;
        sd_bus_message *m;
        unsigned values, fds;
} builder;

static int devnull = -1;        /* what every 'h' sends (sd-bus sends a duplicate) */

static void gen_string(input *in, char *buf) {
        size_t n = take(in) % (MAX_STRING + 1), k = 0;
        for (size_t i = 0; i < n; i++) {
                uint8_t c = take(in);
                if (c == 0)
                        break;
                if (c < 0x80)
                        buf[k++] = (char) c;
                else {
                        /* valid UTF-8 beyond ASCII: é */
                        buf[k++] = (char) 0xc3;
                        buf[k++] = (char) 0xa9;
                }
        }
        buf[k] = '\0';
}

static void gen_path(input *in, char *buf) {
        static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
        size_t segments = take(in) % 4, k = 0;
        for (size_t i = 0; i < segments; i++) {
                size_t len = 1 + take(in) % 4;
                buf[k++] = '/';
                for (size_t j = 0; j < len; j++)
                        buf[k++] = chars[take(in) % (sizeof(chars) - 1)];
        }
        if (k == 0)
                buf[k++] = '/';
        buf[k] = '\0';
}

static int append_value(builder *b, const char *t, unsigned depth);

static int append_basic(builder *b, char type) {
        char buf[2 * MAX_STRING + 1];
        sig g = { .len = 0 };
        union {
                uint8_t y;
                int b;
                uint16_t q;
                uint32_t u;
                uint64_t t;
                double d;
        } v;

        switch (type) {
        case 'y':
                v.y = take(b->in);
                break;
        case 'b':
                v.b = take(b->in) & 1;
                break;
        case 'n':
        case 'q':
                v.q = (uint16_t) take_le(b->in, 2);
                break;
        case 'i':
        case 'u':
                v.u = (uint32_t) take_le(b->in, 4);
                break;
        case 'x':
        case 't':
                v.t = take_le(b->in, 8);
                break;
        case 'd': {
                uint64_t bits = take_le(b->in, 8);
                memcpy(&v.d, &bits, sizeof(v.d));
                break;
        }
        case 's':
                gen_string(b->in, buf);
                return sd_bus_message_append_basic(b->m, 's', buf);
        case 'o':
                gen_path(b->in, buf);
                return sd_bus_message_append_basic(b->m, 'o', buf);
        case 'g': {
                unsigned n = take(b->in) % 3;
                g.s[0] = '\0';
                for (unsigned i = 0; i < n; i++)
                        if (!gen_type(b->in, &g, 0))
                                return -E2BIG;
                return sd_bus_message_append_basic(b->m, 'g', g.s);
        }
        case 'h':
                if (++b->fds > MAX_FDS)
                        return -E2BIG;
                return sd_bus_message_append_basic(b->m, 'h', &devnull);
        default:
                abort();
        }
        return sd_bus_message_append_basic(b->m, type, &v);
}

/* The part of t between its first and its last character (a struct's or a dict entry's members). */
static void inner(const char *t, size_t len, char *buf) {
        memcpy(buf, t + 1, len - 2);
        buf[len - 2] = '\0';
}

/* A value of the complete type at t. */
static int append_value(builder *b, const char *t, unsigned depth) {
        size_t len = type_len(t);
        char contents[MAX_SIG + 1];
        int r;

        if (++b->values > MAX_VALUES)
                return -E2BIG;
        switch (*t) {
        case 'a': {
                unsigned n = take(b->in) % (MAX_ITEMS + 1);
                memcpy(contents, t + 1, len - 1);
                contents[len - 1] = '\0';
                r = sd_bus_message_open_container(b->m, 'a', contents);
                for (unsigned i = 0; r >= 0 && i < n; i++) {
                        if (contents[0] == '{') {
                                char entry[MAX_SIG + 1];
                                inner(contents, len - 1, entry);
                                r = sd_bus_message_open_container(b->m, 'e', entry);
                                if (r >= 0)
                                        r = append_value(b, entry, depth + 1);
                                if (r >= 0)
                                        r = append_value(b, entry + 1, depth + 1);
                                if (r >= 0)
                                        r = sd_bus_message_close_container(b->m);
                        } else
                                r = append_value(b, contents, depth + 1);
                }
                if (r >= 0)
                        r = sd_bus_message_close_container(b->m);
                return r;
        }
        case '(':
                inner(t, len, contents);
                r = sd_bus_message_open_container(b->m, 'r', contents);
                for (const char *m = contents; r >= 0 && *m; m += type_len(m))
                        r = append_value(b, m, depth + 1);
                if (r >= 0)
                        r = sd_bus_message_close_container(b->m);
                return r;
        case 'v': {
                sig g = { .len = 0 };
                g.s[0] = '\0';
                if (!gen_type(b->in, &g, depth + 1))
                        return -E2BIG;
                r = sd_bus_message_open_container(b->m, 'v', g.s);
                if (r >= 0)
                        r = append_value(b, g.s, depth + 1);
                if (r >= 0)
                        r = sd_bus_message_close_container(b->m);
                return r;
        }
        default:
                return append_basic(b, *t);
        }
}

/* Values for every complete type of signature s, one after the other. */
static int append_values(builder *b, const char *s) {
        int r = 0;
        if (strlen(s) > MAX_BODY_SIG)
                return -E2BIG;
        for (const char *t = s; r >= 0 && *t; t += type_len(t))
                r = append_value(b, t, 0);
        return r;
}

/* ---- the service: echoing handlers ---- */

/* How a handler answers, the input's choice (byte 1, bits 2-4; values past the last answer with the outputs). */
enum {
        REPLY_OUTPUTS,          /* return 0: the skeleton sends the outputs */
        REPLY_ERROR,            /* a named D-Bus error in ret_error and -EIO, after the outputs were stored */
        REPLY_ERRNO,            /* a plain -errno (-EPERM), after the outputs were stored */
        REPLY_SELF,             /* the generated P_return_m() now, then DBIDL_REPLIED */
        REPLY_DEFER_NOW,        /* dbidl_defer(), then at once the generated P_reply_m() */
        REPLY_DEFER_LATER,      /* dbidl_defer(); answered with an error once the connection is idle */
};

static unsigned reply_mode;
static dbidl_pending *later;    /* the call REPLY_DEFER_LATER keeps */

/* What the readwrite properties hold; reset before every input so that each input replays alone. */
typedef struct service {
        types_Record current;
        types_Uint32StringArrayDict lists;
        types_Level level;
        types_Caps caps;
        int handle;
} service;

static service svc = { .handle = -1 };
static sd_bus *client, *server;

static void on_cancelled(dbidl_pending *pending, void *userdata) {
        (void) userdata;
        if (pending == later)
                later = NULL;
}

/*
 * The common part of a method handler's answer, once its outputs are stored in ret_*: < 0 for an error reply,
 * DBIDL_DEFERRED when the call is kept for later, 1 when the handler is to answer with P_return_m() (pending
 * NULL) or P_reply_m() (*ret_pending), 0 to let the skeleton send the outputs.
 */
static int answer(sd_bus_message *call, sd_bus_error *ret_error, dbidl_pending **ret_pending) {
        int r;

        *ret_pending = NULL;
        switch (reply_mode) {
        case REPLY_ERROR:
                return sd_bus_error_set(ret_error, "org.dbidl.Types1.Error.Fuzz", "the input asked for an error");
        case REPLY_ERRNO:
                return -EPERM;
        case REPLY_SELF:
                return 1;
        case REPLY_DEFER_NOW:
                r = dbidl_defer(call, on_cancelled, NULL, ret_pending);
                return r < 0 ? r : 1;
        case REPLY_DEFER_LATER:
                if (later)
                        die("a second call kept", 0);
                return dbidl_defer(call, on_cancelled, NULL, &later);
        default:
                return 0;
        }
}

/* A property accessor's answer: an error when the input asks for one. */
static int property_answer(sd_bus_error *ret_error) {
        if (reply_mode == REPLY_ERROR)
                return sd_bus_error_set(ret_error, "org.dbidl.Types1.Error.Fuzz", "the input asked for an error");
        if (reply_mode == REPLY_ERRNO)
                return -EPERM;
        return 0;
}

static void report(int r) {
        /* an emitted signal may fail (an fd it cannot duplicate, say); the call is answered all the same */
        (void) r;
}

static int on_echo_basics(sd_bus_message *call, void *userdata, uint8_t y, bool b, int16_t n, uint16_t q, int32_t i,
                          uint32_t u, int64_t x, uint64_t t, double d, const char *s, const char *o, const char *g,
                          uint8_t *ret_out_y, bool *ret_out_b, int16_t *ret_out_n, uint16_t *ret_out_q,
                          int32_t *ret_out_i, uint32_t *ret_out_u, int64_t *ret_out_x, uint64_t *ret_out_t,
                          double *ret_out_d, char **ret_out_s, char **ret_out_o, char **ret_out_g,
                          sd_bus_error *ret_error) {
        dbidl_pending *p;
        int r;
        (void) userdata;
        *ret_out_y = y;
        *ret_out_b = b;
        *ret_out_n = n;
        *ret_out_q = q;
        *ret_out_i = i;
        *ret_out_u = u;
        *ret_out_x = x;
        *ret_out_t = t;
        *ret_out_d = d;
        *ret_out_s = dbidl_strdup(s);
        *ret_out_o = dbidl_strdup(o);
        *ret_out_g = dbidl_strdup(g);
        if (!*ret_out_s || !*ret_out_o || !*ret_out_g)
                return -ENOMEM;
        r = answer(call, ret_error, &p);
        if (r != 1)
                return r;
        if (p) {
                (void) types_reply_echo_basics(p, y, b, n, q, i, u, x, t, d, s, o, g);
                return DBIDL_REPLIED;
        }
        return types_return_echo_basics(call, y, b, n, q, i, u, x, t, d, s, o, g);
}

static int on_echo_variant(sd_bus_message *call, void *userdata, dbidl_variant *v, dbidl_variant **ret_out_v,
                           sd_bus_error *ret_error) {
        dbidl_pending *p;
        int r;
        (void) userdata;
        *ret_out_v = dbidl_variant_ref(v);
        report(types_emit_variant_echoed(server, TYPES_PATH, v));
        r = answer(call, ret_error, &p);
        if (r != 1)
                return r;
        if (p) {
                (void) types_reply_echo_variant(p, v);
                return DBIDL_REPLIED;
        }
        return types_return_echo_variant(call, v);
}

static int on_echo_arrays(sd_bus_message *call, void *userdata, const int32_t *ai, size_t n_ai, const uint8_t *ay,
                          size_t n_ay, char *const *as, const bool *ab, size_t n_ab, const types_DoubleArrayArray *aad,
                          int32_t **ret_out_ai, size_t *ret_n_out_ai, uint8_t **ret_out_ay, size_t *ret_n_out_ay,
                          char ***ret_out_as, bool **ret_out_ab, size_t *ret_n_out_ab,
                          types_DoubleArrayArray *ret_out_aad, sd_bus_error *ret_error) {
        dbidl_pending *p;
        int r;
        (void) userdata;
        r = memdup_array(ai, n_ai, sizeof(*ai), (void **) ret_out_ai);
        if (r < 0)
                return r;
        *ret_n_out_ai = n_ai;
        r = memdup_array(ay, n_ay, sizeof(*ay), (void **) ret_out_ay);
        if (r < 0)
                return r;
        *ret_n_out_ay = n_ay;
        r = memdup_array(ab, n_ab, sizeof(*ab), (void **) ret_out_ab);
        if (r < 0)
                return r;
        *ret_n_out_ab = n_ab;
        if (as) {
                *ret_out_as = dbidl_strv_copy(as);
                if (!*ret_out_as)
                        return -ENOMEM;
        }
        r = types_DoubleArrayArray_copy(ret_out_aad, aad);
        if (r < 0)
                return r;
        report(types_emit_arrays_echoed(server, TYPES_PATH, ai, n_ai, as, aad));
        r = answer(call, ret_error, &p);
        if (r != 1)
                return r;
        if (p) {
                (void) types_reply_echo_arrays(p, ai, n_ai, ay, n_ay, as, ab, n_ab, aad);
                return DBIDL_REPLIED;
        }
        return types_return_echo_arrays(call, ai, n_ai, ay, n_ay, as, ab, n_ab, aad);
}

static int on_echo_dicts(sd_bus_message *call, void *userdata, const types_Uint32StringArrayDict *lists,
                         const types_ObjpathVardictDict *objects, dbidl_dict *options,
                         const types_StringStringInt32DictDict *nested,
                         types_Uint32StringArrayDict *ret_out_lists, types_ObjpathVardictDict *ret_out_objects,
                         dbidl_dict **ret_out_options, types_StringStringInt32DictDict *ret_out_nested,
                         sd_bus_error *ret_error) {
        dbidl_pending *p;
        int r;
        (void) userdata;
        r = types_Uint32StringArrayDict_copy(ret_out_lists, lists);
        if (r < 0)
                return r;
        r = types_ObjpathVardictDict_copy(ret_out_objects, objects);
        if (r < 0)
                return r;
        *ret_out_options = dbidl_dict_ref(options);
        r = types_StringStringInt32DictDict_copy(ret_out_nested, nested);
        if (r < 0)
                return r;
        report(types_emit_dicts_echoed(server, TYPES_PATH, lists, objects, nested));
        r = answer(call, ret_error, &p);
        if (r != 1)
                return r;
        if (p) {
                (void) types_reply_echo_dicts(p, lists, objects, options, nested);
                return DBIDL_REPLIED;
        }
        return types_return_echo_dicts(call, lists, objects, options, nested);
}

static int on_echo_structs(sd_bus_message *call, void *userdata, const types_Header *header,
                           const types_Record *record, const types_EchoStructs_Anon *anon,
                           const types_EchoStructs_Items_ItemArray *items, const types_RecordArray *records,
                           types_Header *ret_out_header, types_Record *ret_out_record,
                           types_EchoStructs_OutAnon *ret_out_anon,
                           types_EchoStructs_OutItems_ItemArray *ret_out_items, types_RecordArray *ret_out_records,
                           sd_bus_error *ret_error) {
        types_StructsEchoed_Anon sig_anon;
        types_StructsEchoed_Items_ItemArray sig_items;
        dbidl_pending *p;
        int r;
        (void) userdata;
        r = types_Header_copy(ret_out_header, header);
        if (r < 0)
                return r;
        r = types_Record_copy(ret_out_record, record);
        if (r < 0)
                return r;
        r = anon_to_out(ret_out_anon, anon);
        if (r < 0)
                return r;
        r = items_to_out(ret_out_items, items);
        if (r < 0)
                return r;
        r = types_RecordArray_copy(ret_out_records, records);
        if (r < 0)
                return r;
        r = anon_to_signal(&sig_anon, anon);
        if (r < 0)
                return r;
        r = items_to_signal(&sig_items, items);
        if (r < 0) {
                types_StructsEchoed_Anon_clear(&sig_anon);
                return r;
        }
        report(types_emit_structs_echoed(server, TYPES_PATH, header, &sig_anon, &sig_items));
        types_StructsEchoed_Anon_clear(&sig_anon);
        types_StructsEchoed_Items_ItemArray_clear(&sig_items);
        r = answer(call, ret_error, &p);
        if (r != 1)
                return r;
        if (p) {
                (void) types_reply_echo_structs(p, ret_out_header, ret_out_record, ret_out_anon, ret_out_items,
                                                ret_out_records);
                return DBIDL_REPLIED;
        }
        return types_return_echo_structs(call, ret_out_header, ret_out_record, ret_out_anon, ret_out_items,
                                         ret_out_records);
}

static int on_echo_enums(sd_bus_message *call, void *userdata, types_Color color, types_Level level, types_Mode mode,
                         types_Caps caps, types_Color *ret_out_color, types_Level *ret_out_level,
                         types_Mode *ret_out_mode, types_Caps *ret_out_caps, sd_bus_error *ret_error) {
        dbidl_pending *p;
        int r;
        (void) userdata;
        *ret_out_color = color;
        *ret_out_level = level;
        *ret_out_mode = mode;
        *ret_out_caps = caps;
        report(types_emit_enums_echoed(server, TYPES_PATH, color, level, mode, caps));
        r = answer(call, ret_error, &p);
        if (r != 1)
                return r;
        if (p) {
                (void) types_reply_echo_enums(p, color, level, mode, caps);
                return DBIDL_REPLIED;
        }
        return types_return_echo_enums(call, color, level, mode, caps);
}

static int on_echo_fds(sd_bus_message *call, void *userdata, int handle, const int *handles, size_t n_handles,
                       const types_StringFdDict *named, const types_FileRef *file, int *ret_out_handle,
                       int **ret_out_handles, size_t *ret_n_out_handles, types_StringFdDict *ret_out_named,
                       types_FileRef *ret_out_file, sd_bus_error *ret_error) {
        dbidl_pending *p;
        int r;
        (void) userdata;
        /* the inputs' fds belong to the message: every output is a duplicate the skeleton closes */
        r = dbidl_fd_dup(handle);
        if (r < 0)
                return r;
        *ret_out_handle = r;
        if (n_handles > 0) {
                int *fds = malloc(n_handles * sizeof(*fds));
                if (!fds)
                        return -ENOMEM;
                for (size_t i = 0; i < n_handles; i++) {
                        r = dbidl_fd_dup(handles[i]);
                        if (r < 0) {
                                dbidl_fd_array_free(fds, i);
                                return r;
                        }
                        fds[i] = r;
                }
                *ret_out_handles = fds;
                *ret_n_out_handles = n_handles;
        }
        r = types_StringFdDict_copy(ret_out_named, named);
        if (r < 0)
                return r;
        r = types_FileRef_copy(ret_out_file, file);
        if (r < 0)
                return r;
        report(types_emit_fds_echoed(server, TYPES_PATH, handle, file));
        r = answer(call, ret_error, &p);
        if (r != 1)
                return r;
        if (p) {
                (void) types_reply_echo_fds(p, handle, handles, n_handles, named, file);
                return DBIDL_REPLIED;
        }
        return types_return_echo_fds(call, handle, handles, n_handles, named, file);
}

static int get_current(void *userdata, types_Record *ret_value, sd_bus_error *ret_error) {
        service *s = userdata;
        int r = property_answer(ret_error);
        return r < 0 ? r : types_Record_copy(ret_value, &s->current);
}

static int set_current(void *userdata, const types_Record *value, sd_bus_error *ret_error) {
        service *s = userdata;
        types_Record copy;
        int r = property_answer(ret_error);
        if (r < 0)
                return r;
        r = types_Record_copy(&copy, value);
        if (r < 0)
                return r;
        types_Record_clear(&s->current);
        s->current = copy;
        return 0;
}

static int get_lists(void *userdata, types_Uint32StringArrayDict *ret_value, sd_bus_error *ret_error) {
        service *s = userdata;
        int r = property_answer(ret_error);
        return r < 0 ? r : types_Uint32StringArrayDict_copy(ret_value, &s->lists);
}

static int set_lists(void *userdata, const types_Uint32StringArrayDict *value, sd_bus_error *ret_error) {
        service *s = userdata;
        types_Uint32StringArrayDict copy;
        int r = property_answer(ret_error);
        if (r < 0)
                return r;
        r = types_Uint32StringArrayDict_copy(&copy, value);
        if (r < 0)
                return r;
        types_Uint32StringArrayDict_clear(&s->lists);
        s->lists = copy;
        return 0;
}

static int get_level(void *userdata, types_Level *ret_value, sd_bus_error *ret_error) {
        service *s = userdata;
        *ret_value = s->level;
        return property_answer(ret_error);
}

static int set_level(void *userdata, types_Level value, sd_bus_error *ret_error) {
        service *s = userdata;
        int r = property_answer(ret_error);
        if (r >= 0)
                s->level = value;
        return r;
}

static int get_caps(void *userdata, types_Caps *ret_value, sd_bus_error *ret_error) {
        service *s = userdata;
        *ret_value = s->caps;
        return property_answer(ret_error);
}

static int set_caps(void *userdata, types_Caps value, sd_bus_error *ret_error) {
        service *s = userdata;
        int r = property_answer(ret_error);
        if (r >= 0)
                s->caps = value;
        return r;
}

static int get_handle(void *userdata, int *ret_value, sd_bus_error *ret_error) {
        service *s = userdata;
        int r = property_answer(ret_error);
        if (r < 0)
                return r;
        r = dbidl_fd_dup(s->handle);    /* the skeleton closes it once sent */
        if (r < 0)
                return r;
        *ret_value = r;
        return 0;
}

static int set_handle(void *userdata, int value, sd_bus_error *ret_error) {
        service *s = userdata;
        int r = property_answer(ret_error);
        if (r < 0)
                return r;
        r = dbidl_fd_dup(value);        /* value is lent: keep a duplicate */
        if (r < 0)
                return r;
        dbidl_fd_close(s->handle);
        s->handle = r;
        return 0;
}

static const types_handlers handlers = {
        .handle_echo_basics = on_echo_basics,
        .handle_echo_variant = on_echo_variant,
        .handle_echo_arrays = on_echo_arrays,
        .handle_echo_dicts = on_echo_dicts,
        .handle_echo_structs = on_echo_structs,
        .handle_echo_enums = on_echo_enums,
        .handle_echo_fds = on_echo_fds,
        .get_current = get_current,
        .set_current = set_current,
        .get_lists = get_lists,
        .set_lists = set_lists,
        .get_level = get_level,
        .set_level = set_level,
        .get_caps = get_caps,
        .set_caps = set_caps,
        .get_handle = get_handle,
        .set_handle = set_handle,
};

/* ---- org.dbidl.RuntimeTest1.Kept (tests/runtime/rt.idl): @stored, the skeleton keeps the values ---- */

static uint32_t kept_epoch;     /* what Bump stores as Epoch, + 1 */

/* Stores six values in one handler, as rt-service does: they leave as one PropertiesChanged at the next flush. */
static int on_bump(sd_bus_message *call, void *userdata, int32_t count, const char *title, sd_bus_error *ret_error) {
        char *const tags[] = { (char *) title, (char *) title, NULL };
        const rt_kept_Pair where = { .number = count, .text = (char *) title };
        dbidl_pending *p;
        int r;
        (void) userdata;
        r = rt_kept_store_count(server, KEPT_PATH, count);
        if (r >= 0)
                r = rt_kept_store_title(server, KEPT_PATH, title);
        if (r >= 0)
                r = rt_kept_store_tags(server, KEPT_PATH, tags);
        if (r >= 0)
                r = rt_kept_store_where(server, KEPT_PATH, &where);
        if (r >= 0)
                r = rt_kept_store_epoch(server, KEPT_PATH, ++kept_epoch);
        if (r >= 0)
                r = rt_kept_store_quiet(server, KEPT_PATH, count);
        if (r < 0)
                return r;
        r = answer(call, ret_error, &p);
        if (r != 1)
                return r;
        if (p) {
                (void) rt_kept_reply_bump(p);
                return DBIDL_REPLIED;
        }
        return rt_kept_return_bump(call);
}

/* Vets a remote Set of Mode: "bad" is refused, anything else is kept by the skeleton. */
static int on_set_mode(void *userdata, const char *value, sd_bus_error *ret_error) {
        (void) userdata;
        if (strcmp(value, "bad") == 0)
                return sd_bus_error_setf(ret_error, SD_BUS_ERROR_INVALID_ARGS, "Mode 'bad' is refused");
        return property_answer(ret_error);
}

static const rt_kept_handlers kept_handlers = {
        .handle_bump = on_bump,
        .set_mode = on_set_mode,
};

/* Exported again for every input, so that each starts from the same stored values. */
static sd_bus_slot *kept_slot;

static void kept_export(void) {
        kept_epoch = 0;
        int r = rt_kept_export(server, KEPT_PATH, &kept_handlers, NULL, &kept_slot);
        if (r >= 0)
                r = rt_kept_store_origin(server, KEPT_PATH, "/org/dbidl/Origin");
        if (r < 0)
                die("exporting org.dbidl.RuntimeTest1.Kept", r);
}

/* ---- the exported objects ---- */

/* types.idl's interface exported a second time with no handler at all: every member is NotSupported. */
static const types_handlers no_handlers;

/* The objects a call can go to (byte 1, bits 5-6), with their member tables as the generated code has them. */
typedef struct object {
        const char *path, *interface;
        const dbidl_member *members;
        size_t n_methods, n_signals, n_properties;
} object;

static const object objects[] = {
        { TYPES_PATH, TYPES_INTERFACE, dbidl_types_members, 7, 6, 5 },
        { KEPT_PATH, RT_KEPT_INTERFACE, dbidl_rt_kept_members, 1, 0, 9 },
        { BARE_PATH, TYPES_INTERFACE, dbidl_types_members, 7, 6, 5 },
};
/* the counts above are the generated dbidl_interface_info's, which is static in the -server.c */
_Static_assert(7 + 6 + 5 == sizeof(dbidl_types_members) / sizeof(dbidl_types_members[0]), "types.idl changed");
_Static_assert(1 + 0 + 9 == sizeof(dbidl_rt_kept_members) / sizeof(dbidl_rt_kept_members[0]), "rt.idl changed");

/* The properties' starting values, valid ones (a Get must be able to send them), as before the first input. */
static void service_reset(void) {
        types_Record_clear(&svc.current);
        types_Uint32StringArrayDict_clear(&svc.lists);
        svc.level = TYPES_LEVEL_NORMAL;
        svc.caps = TYPES_CAPS_READ;
        svc.current.color = TYPES_COLOR_RED;
        svc.current.header.label = dbidl_strdup("");
        svc.current.header.path = dbidl_strdup("/");
        svc.current.where.m1.m0 = dbidl_strdup("");
        svc.current.where.m1.m1 = dbidl_strdup("/");
        if (!svc.current.header.label || !svc.current.header.path || !svc.current.where.m1.m0 ||
            !svc.current.where.m1.m1)
                die("service_reset", -ENOMEM);
        dbidl_fd_close(svc.handle);
        svc.handle = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (svc.handle < 0)
                die("open /dev/null", -errno);
}

/* ---- the connection ---- */

static uint64_t cookie;         /* of the call in flight */
static unsigned n_replies;      /* replies to it so far */
static bool verbose;            /* $FUZZ_SKELETON_VERBOSE set: each call and its reply on stderr */

/* Every message the client receives passes here: count the replies to the call (sd-bus drops them after). */
static int on_client_message(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        uint64_t reply_cookie;
        (void) userdata;
        (void) ret_error;
        if (sd_bus_message_get_reply_cookie(m, &reply_cookie) < 0 || reply_cookie != cookie)
                return 0;
        n_replies++;
        if (verbose) {
                const sd_bus_error *e = sd_bus_message_get_error(m);
                fprintf(stderr, "  -> %s%s%s\n", e ? e->name : "method return ",
                        e ? ": " : sd_bus_message_get_signature(m, 1), e ? e->message : "");
        }
        return 0;
}

/* Process both ends until neither has anything left to read, dispatch or write (twice in a row). */
static void settle(void) {
        unsigned idle = 0;
        for (unsigned round = 0; idle < 2; round++) {
                if (round > 100000)
                        die("the connection never goes idle", 0);
                /* what the event loop's defer source does for @stored values, there being no loop */
                int f = dbidl_bus_flush_properties(server);
                if (f < 0)
                        die("dbidl_bus_flush_properties", f);
                int a = sd_bus_process(client, NULL);
                if (a < 0)
                        die("the client's connection failed", a);
                int b = sd_bus_process(server, NULL);
                if (b < 0)
                        die("the service's connection failed", b);
                uint64_t qa = 0, qb = 0;
                (void) sd_bus_get_n_queued_write(client, &qa);
                (void) sd_bus_get_n_queued_write(server, &qb);
                idle = a == 0 && b == 0 && f == 0 && qa == 0 && qb == 0 ? idle + 1 : 0;
        }
}

/* Two started ends of a socketpair (the service's end the server of the peer-to-peer connection), fds allowed. */
static void setup(void) {
        sd_id128_t id;
        int fds[2], r;

        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds) < 0)
                die("socketpair", -errno);
        r = sd_id128_randomize(&id);
        if (r >= 0)
                r = sd_bus_new(&client);
        if (r >= 0)
                r = sd_bus_set_fd(client, fds[0], fds[0]);
        if (r >= 0)
                r = sd_bus_negotiate_fds(client, 1);
        if (r >= 0)
                r = sd_bus_start(client);
        if (r >= 0)
                r = sd_bus_new(&server);
        if (r >= 0)
                r = sd_bus_set_fd(server, fds[1], fds[1]);
        if (r >= 0)
                r = sd_bus_set_server(server, 1, id);
        if (r >= 0)
                r = sd_bus_set_anonymous(server, 1);
        if (r >= 0)
                r = sd_bus_negotiate_fds(server, 1);
        if (r >= 0)
                r = sd_bus_start(server);
        if (r < 0)
                die("setting up the connection", r);
        for (int i = 0; i < 1000 && sd_bus_is_ready(client) <= 0; i++) {
                if (sd_bus_process(client, NULL) < 0 || sd_bus_process(server, NULL) < 0)
                        die("authentication", 0);
        }
        if (sd_bus_is_ready(client) <= 0 || sd_bus_can_send(client, SD_BUS_TYPE_UNIX_FD) <= 0)
                die("the connection is not ready, or passes no fds", 0);

        r = sd_bus_add_filter(client, NULL, on_client_message, NULL);
        if (r >= 0)
                r = types_export(server, TYPES_PATH, &handlers, &svc, NULL);
        if (r >= 0)
                r = types_export(server, BARE_PATH, &no_handlers, NULL, NULL);
        if (r >= 0)
                r = dbidl_bus_add_object_manager(server, "/org/dbidl", NULL);
        if (r < 0)
                die("exporting the service", r);
        devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (devnull < 0)
                die("open /dev/null", -errno);
        verbose = getenv("FUZZ_SKELETON_VERBOSE") != NULL;
}

/* The lowest free fd number. */
static int lowest_free_fd(void) {
        int fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
        if (fd < 0)
                die("fcntl", -errno);
        close(fd);
        return fd;
}

/* Whether fd is open on /dev/null, as every fd the calls carry is. */
static bool is_devnull(int fd) {
        static struct stat null;
        struct stat st;
        if (null.st_ino == 0 && fstat(devnull, &null) < 0)
                die("fstat", -errno);
        return fstat(fd, &st) >= 0 && st.st_dev == null.st_dev && st.st_ino == null.st_ino;
}

/*
 * Abort if the input left an fd open.  Every fd a call carries is a duplicate of /dev/null, and so are the ones
 * the service keeps: their number is the same after every input.  Other fds are not counted: others open fds of
 * their own for good between inputs (libFuzzer's symbolizer pipes, say).  A leaked fd takes the lowest free
 * number, so the fds up to a little above it are enough to look at.
 */
static void check_fds(void) {
        static int expected = -1;
        int n = 0, end = lowest_free_fd() + 64;
        for (int i = 0; i < end; i++)
                n += is_devnull(i);
        if (expected >= 0 && n != expected) {
                fprintf(stderr, "fuzz-skeleton: %d fds open on /dev/null, %d before: an fd leaked\n", n, expected);
                abort();
        }
        expected = n;
}

/* ---- one input ---- */

/* A member of obj by a byte: any of them, methods, signals and properties, or one it does not have. */
static const char *member_name(const object *obj, uint8_t b) {
        size_t n = obj->n_methods + obj->n_signals + obj->n_properties;
        b %= n + 1;
        return b < n ? obj->members[b].name : "Nope";
}

/* A new method call for the input's target (byte 0) on obj; its own body signature into *ret_sig. */
static int new_call(input *in, const object *obj, uint8_t target, sd_bus_message **ret, const char **ret_sig) {
        const char *path = obj->path, *interface = obj->interface, *member, *s;

        if (target < 7) {
                const dbidl_member *method = &obj->members[target % obj->n_methods];
                member = method->name;
                s = method->in_signature;
        } else
                switch (target) {
                case 7:
                        interface = "org.freedesktop.DBus.Properties";
                        member = "Get";
                        s = "ss";
                        break;
                case 8:
                        interface = "org.freedesktop.DBus.Properties";
                        member = "Set";
                        s = "ssv";
                        break;
                case 9:
                        interface = "org.freedesktop.DBus.Properties";
                        member = "GetAll";
                        s = "s";
                        break;
                case 10:
                        member = member_name(obj, take(in));
                        if (strcmp(member, "Nope") != 0 && take(in) % 2 == 0)
                                member = "Nope";
                        s = "";
                        break;
                case 11:
                        interface = "org.dbidl.Nope1";
                        member = member_name(obj, take(in));
                        s = "";
                        break;
                case 12:
                        path = take(in) % 2 ? "/org/dbidl" : "/org/dbidl/Types1/Nope";
                        member = member_name(obj, take(in));
                        s = "";
                        break;
                case 13:
                        interface = NULL;
                        member = member_name(obj, take(in));
                        s = "";
                        break;
                case 14:
                        path = take(in) % 2 ? "/org/dbidl" : obj->path;
                        interface = "org.freedesktop.DBus.Introspectable";
                        member = "Introspect";
                        s = "";
                        break;
                default:
                        path = take(in) % 2 ? "/org/dbidl" : obj->path;
                        interface = "org.freedesktop.DBus.ObjectManager";
                        member = "GetManagedObjects";
                        s = "";
                        break;
                }
        *ret_sig = s;
        return sd_bus_message_new_method_call(client, ret, NULL, path, interface, member);
}

/* The body of a Properties call, with its own signature (s: "ss", "ssv" or "s"). */
static int append_properties(builder *b, const object *obj, bool set, const char *s) {
        const char *const interfaces[] = { obj->interface, "", "org.dbidl.Nope1" };
        const char *interface = interfaces[take(b->in) % 3];
        uint8_t k = take(b->in);
        const char *property = member_name(obj, k);
        size_t n = obj->n_methods + obj->n_signals + obj->n_properties;
        int r = sd_bus_message_append_basic(b->m, 's', interface);
        if (r < 0 || strcmp(s, "s") == 0)
                return r;
        r = sd_bus_message_append_basic(b->m, 's', property);
        if (r < 0 || !set)
                return r;

        /* the variant: the property's own type, or another */
        k %= n + 1;
        bool own = take(b->in) % 2 == 0 && k >= obj->n_methods + obj->n_signals && k < n;
        sig g = { .len = 0 };
        g.s[0] = '\0';
        if (own)
                strcpy(g.s, obj->members[k].in_signature);
        else if (!gen_type(b->in, &g, 1))
                return -E2BIG;
        r = sd_bus_message_open_container(b->m, 'v', g.s);
        if (r >= 0)
                r = append_value(b, g.s, 1);
        if (r >= 0)
                r = sd_bus_message_close_container(b->m);
        return r;
}

/*
 * The message's body (byte 1, bits 0-1): the target's own signature `own` with values (for Properties calls,
 * names and a variant made for them), the own signature changed, or another one.
 */
static int append_body(builder *b, const object *obj, uint8_t how, uint8_t target, const char *own) {
        sig g = { .len = 0 };
        g.s[0] = '\0';
        switch (how % 4) {
        case 2:
                if (take(b->in) % 2 == 0) {
                        /* the last complete type dropped */
                        const char *last = own;
                        for (const char *t = own; *t; t += type_len(t))
                                last = t;
                        g.len = (size_t) (last - own);
                        memcpy(g.s, own, g.len);
                        g.s[g.len] = '\0';
                } else {
                        /* one more */
                        g.len = strlen(own);
                        memcpy(g.s, own, g.len + 1);
                        if (!gen_type(b->in, &g, 0))
                                return -E2BIG;
                }
                return append_values(b, g.s);
        case 3: {
                unsigned n = take(b->in) % 5;
                for (unsigned i = 0; i < n; i++)
                        if (!gen_type(b->in, &g, 0))
                                return -E2BIG;
                return append_values(b, g.s);
        }
        default:
                if (target >= 7 && target <= 9)
                        return append_properties(b, obj, target == 8, own);
                return append_values(b, own);
        }
}

static const char *strna(const char *s) {
        return s ? s : "n/a";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        sd_bus_message *m = NULL;
        input in = { data, size };
        const char *own;
        int r;

        if (!client)
                setup();
        service_reset();
        kept_export();

        uint8_t target = take(&in) % 16;
        uint8_t how = take(&in);
        reply_mode = (how >> 2) % 8;
        const object *obj = &objects[(how >> 5) % 4 % 3];
        r = new_call(&in, obj, target, &m, &own);
        if (r < 0)
                die("sd_bus_message_new_method_call", r);
        builder b = { .in = &in, .m = m };
        r = append_body(&b, obj, how, target, own);
        if (r == -E2BIG) {
                /* over a bound of ours: not a call worth making */
                sd_bus_message_unref(m);
                kept_slot = sd_bus_slot_unref(kept_slot);
                return 0;
        }
        if (r < 0)
                die("building the call", r);

        n_replies = 0;
        if (verbose)
                fprintf(stderr, "%s %s.%s(%s), reply mode %u\n", strna(sd_bus_message_get_path(m)),
                        strna(sd_bus_message_get_interface(m)), strna(sd_bus_message_get_member(m)),
                        strna(sd_bus_message_get_signature(m, 1)), reply_mode);
        r = sd_bus_send(client, m, &cookie);
        if (r < 0)
                die("sd_bus_send", r);
        settle();
        if (n_replies == 0 && later) {
                /* the kept call, answered now that everything else is done */
                r = dbidl_pending_reply_errno(later, EAGAIN);
                later = NULL;
                if (r < 0)
                        die("dbidl_pending_reply_errno", r);
                settle();
        }
        if (later)
                die("a kept call was answered otherwise", 0);
        if (n_replies != 1) {
                fprintf(stderr, "fuzz-skeleton: %u replies to %s.%s (%s) at %s\n", n_replies,
                        strna(sd_bus_message_get_interface(m)), strna(sd_bus_message_get_member(m)),
                        strna(sd_bus_message_get_signature(m, 1)), strna(sd_bus_message_get_path(m)));
                abort();
        }
        sd_bus_message_unref(m);
        kept_slot = sd_bus_slot_unref(kept_slot);

        check_fds();
        return 0;
}
