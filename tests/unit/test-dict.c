/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/unit/test-dict.c — Check tests for dbidl_dict: entries, order, typed access, a{sv} on the wire */

#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-id128.h>

#include <dbidl/dbidl.h>

/* ---- helpers ------------------------------------------------------------- */

typedef struct peer {
        sd_bus *client;
        sd_bus *server;
} peer;

/* Two started ends of a socketpair connection, so that messages can be built. */
static void peer_open(peer *p) {
        sd_id128_t id;
        int fds[2];

        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        ck_assert_int_ge(sd_id128_randomize(&id), 0);
        ck_assert_int_ge(sd_bus_new(&p->client), 0);
        ck_assert_int_ge(sd_bus_set_fd(p->client, fds[0], fds[0]), 0);
        ck_assert_int_ge(sd_bus_start(p->client), 0);
        ck_assert_int_ge(sd_bus_new(&p->server), 0);
        ck_assert_int_ge(sd_bus_set_fd(p->server, fds[1], fds[1]), 0);
        ck_assert_int_ge(sd_bus_set_server(p->server, 1, id), 0);
        ck_assert_int_ge(sd_bus_set_anonymous(p->server, 1), 0);
        ck_assert_int_ge(sd_bus_start(p->server), 0);
}

static void peer_close(peer *p) {
        /* no flush: the other end may never have read what is queued */
        p->client = sd_bus_close_unref(p->client);
        p->server = sd_bus_close_unref(p->server);
}

static sd_bus_message *new_message(peer *p) {
        sd_bus_message *m = NULL;

        ck_assert_int_ge(sd_bus_message_new_signal(p->client, &m, "/test", "org.example.Test", "Dict"), 0);
        return m;
}

static void seal(sd_bus_message *m) {
        ck_assert_int_ge(sd_bus_message_seal(m, 1, 0), 0);
        ck_assert_int_ge(sd_bus_message_rewind(m, 1), 0);
}

static dbidl_dict *new_dict(void) {
        dbidl_dict *d = NULL;

        ck_assert_int_eq(dbidl_dict_new(&d), 0);
        ck_assert_ptr_nonnull(d);
        return d;
}

static void assert_text(const dbidl_dict *d, const char *expected) {
        char *s = NULL;

        ck_assert_int_eq(dbidl_dict_to_string(d, &s), 0);
        ck_assert_str_eq(s, expected);
        free(s);
}

static const char *key_at(const dbidl_dict *d, size_t i) {
        const char *k = NULL;

        ck_assert_int_eq(dbidl_dict_get_entry(d, i, &k, NULL), 0);
        return k;
}

/* Every entry of a equals the same entry of b, in the same order. */
static void assert_dict_equal(const dbidl_dict *a, const dbidl_dict *b) {
        ck_assert_uint_eq(dbidl_dict_size(a), dbidl_dict_size(b));
        for (size_t i = 0; i < dbidl_dict_size(a); i++) {
                const char *ka, *kb;
                dbidl_variant *va, *vb;

                ck_assert_int_eq(dbidl_dict_get_entry(a, i, &ka, &va), 0);
                ck_assert_int_eq(dbidl_dict_get_entry(b, i, &kb, &vb), 0);
                ck_assert_str_eq(ka, kb);
                ck_assert(dbidl_variant_equal(va, vb));
        }
}

/* ---- tests --------------------------------------------------------------- */

START_TEST(test_empty)
{
        dbidl_dict *d = new_dict();
        const char *k = "untouched";

        ck_assert_uint_eq(dbidl_dict_size(d), 0);
        ck_assert_uint_eq(dbidl_dict_size(NULL), 0);
        ck_assert_ptr_null(dbidl_dict_get(d, "x"));
        ck_assert_ptr_null(dbidl_dict_get(NULL, "x"));
        ck_assert(!dbidl_dict_contains(d, "x"));
        ck_assert_int_eq(dbidl_dict_get_entry(d, 0, &k, NULL), -ERANGE);
        ck_assert_str_eq(k, "untouched");
        ck_assert_int_eq(dbidl_dict_remove(d, "x"), -ENOENT);
        assert_text(d, "@a{sv} {}");
        assert_text(NULL, "@a{sv} {}");

        ck_assert_ptr_eq(dbidl_dict_ref(d), d);
        ck_assert_ptr_null(dbidl_dict_unref(d));
        ck_assert_uint_eq(dbidl_dict_size(d), 0);      /* still alive */
        ck_assert_ptr_null(dbidl_dict_unref(d));
        ck_assert_ptr_null(dbidl_dict_unref(NULL));
        ck_assert_ptr_null(dbidl_dict_ref(NULL));
}
END_TEST

START_TEST(test_set_replace_remove_order)
{
        dbidl_dict *d = new_dict();
        int32_t i = 0;
        const char *s = NULL;

        ck_assert_int_eq(dbidl_dict_set_int32(d, "one", 1), 0);
        ck_assert_int_eq(dbidl_dict_set_string(d, "two", "2"), 0);
        ck_assert_int_eq(dbidl_dict_set_bool(d, "three", true), 0);
        ck_assert_uint_eq(dbidl_dict_size(d), 3);
        ck_assert_str_eq(key_at(d, 0), "one");
        ck_assert_str_eq(key_at(d, 1), "two");
        ck_assert_str_eq(key_at(d, 2), "three");

        /* replacing keeps the position and may change the type */
        ck_assert_int_eq(dbidl_dict_set_string(d, "one", "uno"), 0);
        ck_assert_uint_eq(dbidl_dict_size(d), 3);
        ck_assert_str_eq(key_at(d, 0), "one");
        ck_assert_int_eq(dbidl_dict_get_string(d, "one", &s), 0);
        ck_assert_str_eq(s, "uno");
        ck_assert_int_eq(dbidl_dict_get_int32(d, "one", &i), -ENXIO);
        assert_text(d, "{'one': <'uno'>, 'two': <'2'>, 'three': <true>}");

        /* removing keeps the order of the rest */
        ck_assert_int_eq(dbidl_dict_remove(d, "two"), 0);
        ck_assert_int_eq(dbidl_dict_remove(d, "two"), -ENOENT);
        ck_assert_uint_eq(dbidl_dict_size(d), 2);
        ck_assert_str_eq(key_at(d, 0), "one");
        ck_assert_str_eq(key_at(d, 1), "three");
        ck_assert(!dbidl_dict_contains(d, "two"));
        ck_assert(dbidl_dict_contains(d, "three"));

        /* re-adding appends at the end */
        ck_assert_int_eq(dbidl_dict_set_int32(d, "two", 22), 0);
        ck_assert_str_eq(key_at(d, 2), "two");
        ck_assert_int_eq(dbidl_dict_get_entry(d, 3, NULL, NULL), -ERANGE);
        assert_text(d, "{'one': <'uno'>, 'three': <true>, 'two': <22>}");

        /* many entries */
        for (int k = 0; k < 100; k++) {
                char key[16];

                snprintf(key, sizeof(key), "k%d", k);
                ck_assert_int_eq(dbidl_dict_set_int32(d, key, k), 0);
        }
        ck_assert_uint_eq(dbidl_dict_size(d), 103);
        ck_assert_int_eq(dbidl_dict_get_int32(d, "k99", &i), 0);
        ck_assert_int_eq(i, 99);
        ck_assert_str_eq(key_at(d, 102), "k99");

        dbidl_dict_unref(d);
}
END_TEST

START_TEST(test_set_variant_takes_reference)
{
        dbidl_dict *d = new_dict();
        dbidl_variant *v = NULL;
        int64_t x;

        ck_assert_int_eq(dbidl_variant_new_int64(-9, &v), 0);
        ck_assert_int_eq(dbidl_dict_set(d, "v", v), 0);
        dbidl_variant_unref(v);
        ck_assert_int_eq(dbidl_dict_get_int64(d, "v", &x), 0);
        ck_assert(x == -9);
        ck_assert_ptr_nonnull(dbidl_dict_get(d, "v"));
        ck_assert_str_eq(dbidl_variant_get_signature(dbidl_dict_get(d, "v")), "x");

        /* the same variant set again under the same key */
        v = dbidl_dict_get(d, "v");
        ck_assert_int_eq(dbidl_dict_set(d, "v", v), 0);
        ck_assert_int_eq(dbidl_dict_get_int64(d, "v", &x), 0);
        ck_assert(x == -9);

        dbidl_dict_unref(d);
}
END_TEST

START_TEST(test_typed)
{
        dbidl_dict *d = new_dict(), *inner = new_dict(), *got = NULL;
        char *strv[] = { (char *) "a", (char *) "b", NULL }, **out = NULL;
        uint8_t y;
        bool b;
        int16_t n;
        uint16_t q;
        int32_t i = 5;
        uint32_t u;
        int64_t x;
        uint64_t t;
        double dd;
        const char *s;

        ck_assert_int_eq(dbidl_dict_set_byte(d, "y", 255), 0);
        ck_assert_int_eq(dbidl_dict_set_bool(d, "b", false), 0);
        ck_assert_int_eq(dbidl_dict_set_int16(d, "n", INT16_MIN), 0);
        ck_assert_int_eq(dbidl_dict_set_uint16(d, "q", UINT16_MAX), 0);
        ck_assert_int_eq(dbidl_dict_set_int32(d, "i", INT32_MIN), 0);
        ck_assert_int_eq(dbidl_dict_set_uint32(d, "u", UINT32_MAX), 0);
        ck_assert_int_eq(dbidl_dict_set_int64(d, "x", INT64_MIN), 0);
        ck_assert_int_eq(dbidl_dict_set_uint64(d, "t", UINT64_MAX), 0);
        ck_assert_int_eq(dbidl_dict_set_double(d, "d", NAN), 0);
        ck_assert_int_eq(dbidl_dict_set_string(d, "s", ""), 0);
        ck_assert_int_eq(dbidl_dict_set_objpath(d, "o", "/a/b"), 0);
        ck_assert_int_eq(dbidl_dict_set_strv(d, "as", strv), 0);
        ck_assert_int_eq(dbidl_dict_set_strv(d, "as0", NULL), 0);
        ck_assert_int_eq(dbidl_dict_set_int32(inner, "deep", 7), 0);
        ck_assert_int_eq(dbidl_dict_set_dict(d, "dict", inner), 0);
        ck_assert_int_eq(dbidl_dict_set_dict(d, "empty", NULL), 0);

        /* the nested dict was a snapshot */
        ck_assert_int_eq(dbidl_dict_set_int32(inner, "later", 8), 0);

        ck_assert_int_eq(dbidl_dict_get_byte(d, "y", &y), 0);
        ck_assert_uint_eq(y, 255);
        ck_assert_int_eq(dbidl_dict_get_bool(d, "b", &b), 0);
        ck_assert(!b);
        ck_assert_int_eq(dbidl_dict_get_int16(d, "n", &n), 0);
        ck_assert_int_eq(n, INT16_MIN);
        ck_assert_int_eq(dbidl_dict_get_uint16(d, "q", &q), 0);
        ck_assert_uint_eq(q, UINT16_MAX);
        ck_assert_int_eq(dbidl_dict_get_int32(d, "i", &i), 0);
        ck_assert_int_eq(i, INT32_MIN);
        ck_assert_int_eq(dbidl_dict_get_uint32(d, "u", &u), 0);
        ck_assert_uint_eq(u, UINT32_MAX);
        ck_assert_int_eq(dbidl_dict_get_int64(d, "x", &x), 0);
        ck_assert(x == INT64_MIN);
        ck_assert_int_eq(dbidl_dict_get_uint64(d, "t", &t), 0);
        ck_assert(t == UINT64_MAX);
        ck_assert_int_eq(dbidl_dict_get_double(d, "d", &dd), 0);
        ck_assert(isnan(dd));
        ck_assert_int_eq(dbidl_dict_get_string(d, "s", &s), 0);
        ck_assert_str_eq(s, "");
        ck_assert_int_eq(dbidl_dict_get_objpath(d, "o", &s), 0);
        ck_assert_str_eq(s, "/a/b");
        ck_assert_int_eq(dbidl_dict_get_strv(d, "as", &out), 0);
        ck_assert_str_eq(out[0], "a");
        ck_assert_str_eq(out[1], "b");
        ck_assert_ptr_null(out[2]);
        out = dbidl_strv_free(out);
        ck_assert_int_eq(dbidl_dict_get_strv(d, "as0", &out), 0);
        ck_assert_ptr_null(out[0]);
        out = dbidl_strv_free(out);

        ck_assert_int_eq(dbidl_dict_get_dict(d, "dict", &got), 0);
        ck_assert_uint_eq(dbidl_dict_size(got), 1);
        ck_assert_int_eq(dbidl_dict_get_int32(got, "deep", &i), 0);
        ck_assert_int_eq(i, 7);
        ck_assert(!dbidl_dict_contains(got, "later"));
        got = dbidl_dict_unref(got);
        ck_assert_int_eq(dbidl_dict_get_dict(d, "empty", &got), 0);
        ck_assert_uint_eq(dbidl_dict_size(got), 0);
        got = dbidl_dict_unref(got);

        /* missing keys and wrong types; outputs untouched */
        i = 5;
        ck_assert_int_eq(dbidl_dict_get_int32(d, "missing", &i), -ENOENT);
        ck_assert_int_eq(dbidl_dict_get_int32(d, "x", &i), -ENXIO);
        ck_assert_int_eq(dbidl_dict_get_int32(d, "u", &i), -ENXIO);
        ck_assert_int_eq(i, 5);
        s = "untouched";
        ck_assert_int_eq(dbidl_dict_get_string(d, "o", &s), -ENXIO);
        ck_assert_int_eq(dbidl_dict_get_objpath(d, "s", &s), -ENXIO);
        ck_assert_int_eq(dbidl_dict_get_string(d, "nope", &s), -ENOENT);
        ck_assert_str_eq(s, "untouched");
        ck_assert_int_eq(dbidl_dict_get_strv(d, "s", &out), -ENXIO);
        ck_assert_int_eq(dbidl_dict_get_strv(d, "nope", &out), -ENOENT);
        ck_assert_ptr_null(out);
        ck_assert_int_eq(dbidl_dict_get_dict(d, "as", &got), -ENXIO);
        ck_assert_int_eq(dbidl_dict_get_dict(d, "nope", &got), -ENOENT);
        ck_assert_ptr_null(got);
        ck_assert_int_eq(dbidl_dict_get_bool(d, "y", &b), -ENXIO);
        ck_assert_int_eq(dbidl_dict_get_double(d, "x", &dd), -ENXIO);

        dbidl_dict_unref(d);
        dbidl_dict_unref(inner);
}
END_TEST

START_TEST(test_invalid)
{
        dbidl_dict *d = new_dict();
        dbidl_variant *v = NULL;

        ck_assert_int_eq(dbidl_variant_new_int32(1, &v), 0);
        ck_assert_int_eq(dbidl_dict_set(d, NULL, v), -EINVAL);
        ck_assert_int_eq(dbidl_dict_set(d, "\xc3\x28", v), -EINVAL);
        ck_assert_int_eq(dbidl_dict_set(d, "k", NULL), -EINVAL);
        ck_assert_int_eq(dbidl_dict_set(NULL, "k", v), -EINVAL);
        ck_assert_int_eq(dbidl_dict_set_string(d, "k", "\xff"), -EINVAL);
        ck_assert_int_eq(dbidl_dict_set_string(d, "k", NULL), -EINVAL);
        ck_assert_int_eq(dbidl_dict_set_objpath(d, "k", "not/a/path"), -EINVAL);
        ck_assert_int_eq(dbidl_dict_set_int32(d, "\xff", 1), -EINVAL);
        ck_assert_int_eq(dbidl_dict_new(NULL), -EINVAL);
        ck_assert_uint_eq(dbidl_dict_size(d), 0);
        dbidl_variant_unref(v);
        dbidl_dict_unref(d);
}
END_TEST

START_TEST(test_variant_conversion)
{
        dbidl_dict *d = new_dict(), *inner = new_dict(), *got = NULL;
        dbidl_variant *v = NULL, *i = NULL;
        char *s = NULL;

        ck_assert_int_eq(dbidl_dict_set_string(d, "k", "v"), 0);
        ck_assert_int_eq(dbidl_dict_set_int64(d, "n", 5), 0);
        ck_assert_int_eq(dbidl_dict_set_dict(d, "empty", inner), 0);
        ck_assert_int_eq(dbidl_variant_new_dict(d, &v), 0);
        ck_assert_str_eq(dbidl_variant_get_signature(v), "a{sv}");
        ck_assert_uint_eq(dbidl_variant_get_n_children(v), 3);
        ck_assert_int_eq(dbidl_variant_to_string(v, &s), 0);
        ck_assert_str_eq(s, "{'k': <'v'>, 'n': <int64 5>, 'empty': <@a{sv} {}>}");
        free(s);

        /* the variant is a snapshot */
        ck_assert_int_eq(dbidl_dict_remove(d, "k"), 0);
        ck_assert_uint_eq(dbidl_variant_get_n_children(v), 3);

        ck_assert_int_eq(dbidl_variant_get_dict(v, &got), 0);
        ck_assert_uint_eq(dbidl_dict_size(got), 3);
        ck_assert_str_eq(key_at(got, 0), "k");
        ck_assert_str_eq(key_at(got, 2), "empty");
        got = dbidl_dict_unref(got);

        ck_assert_int_eq(dbidl_variant_new_dict(NULL, &i), 0);
        ck_assert_str_eq(dbidl_variant_get_signature(i), "a{sv}");
        ck_assert_uint_eq(dbidl_variant_get_n_children(i), 0);
        i = dbidl_variant_unref(i);

        /* not an a{sv} */
        ck_assert_int_eq(dbidl_variant_new_int32(1, &i), 0);
        ck_assert_int_eq(dbidl_variant_get_dict(i, &got), -ENXIO);
        ck_assert_ptr_null(got);
        i = dbidl_variant_unref(i);

        dbidl_variant_unref(v);
        dbidl_dict_unref(d);
        dbidl_dict_unref(inner);
}
END_TEST

START_TEST(test_wire_round_trip)
{
        peer p;
        sd_bus_message *m;
        dbidl_dict *d = new_dict(), *inner = new_dict(), *innermost = new_dict(), *r1 = NULL, *r2 = NULL,
                   *r3 = NULL, *nested = NULL, *again = NULL;
        char *strv[] = { (char *) "x", NULL };

        ck_assert_int_eq(dbidl_dict_set_dict(inner, "innermost", innermost), 0);
        ck_assert_int_eq(dbidl_dict_set_uint64(d, "big", UINT64_MAX), 0);
        ck_assert_int_eq(dbidl_dict_set_double(d, "pi", 3.25), 0);
        ck_assert_int_eq(dbidl_dict_set_string(d, "name", "grüße"), 0);
        ck_assert_int_eq(dbidl_dict_set_strv(d, "list", strv), 0);
        ck_assert_int_eq(dbidl_dict_set_dict(d, "inner", inner), 0);
        ck_assert_int_eq(dbidl_dict_set_dict(d, "nothing", NULL), 0);

        peer_open(&p);
        m = new_message(&p);
        ck_assert_int_ge(dbidl_dict_append(m, d), 0);
        ck_assert_int_ge(dbidl_dict_append(m, NULL), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "i", 3), 0);
        ck_assert_int_ge(dbidl_dict_append(m, d), 0);
        seal(m);
        ck_assert_str_eq(sd_bus_message_get_signature(m, 1), "a{sv}a{sv}ia{sv}");

        ck_assert_int_eq(dbidl_dict_read(m, &r1), 0);
        assert_dict_equal(d, r1);
        ck_assert_int_eq(dbidl_dict_read(m, &r2), 0);
        ck_assert_uint_eq(dbidl_dict_size(r2), 0);
        /* an int32 is next: -ENXIO, nothing consumed */
        ck_assert_int_eq(dbidl_dict_read(m, &r3), -ENXIO);
        ck_assert_ptr_null(r3);
        ck_assert_int_ge(sd_bus_message_skip(m, "i"), 0);
        ck_assert_int_eq(dbidl_dict_read(m, &r3), 0);
        assert_dict_equal(d, r3);
        /* at the end */
        dbidl_dict_unref(r3);
        r3 = NULL;
        ck_assert_int_eq(dbidl_dict_read(m, &r3), -ENXIO);
        ck_assert_ptr_null(r3);

        /* nested empty dicts came through */
        ck_assert_int_eq(dbidl_dict_get_dict(r1, "inner", &nested), 0);
        ck_assert_int_eq(dbidl_dict_get_dict(nested, "innermost", &again), 0);
        ck_assert_uint_eq(dbidl_dict_size(again), 0);

        sd_bus_message_unref(m);
        dbidl_dict_unref(again);
        dbidl_dict_unref(nested);
        dbidl_dict_unref(r1);
        dbidl_dict_unref(r2);
        dbidl_dict_unref(d);
        dbidl_dict_unref(inner);
        dbidl_dict_unref(innermost);
        peer_close(&p);
}
END_TEST

START_TEST(test_wire_duplicates_and_mismatch)
{
        peer p;
        sd_bus_message *m;
        dbidl_dict *d = NULL;
        int32_t i;

        peer_open(&p);

        /* a key that appears twice keeps the last value, at its first position */
        m = new_message(&p);
        ck_assert_int_ge(sd_bus_message_append(m, "a{sv}", 3, "a", "i", 1, "b", "s", "x", "a", "i", 2), 0);
        seal(m);
        ck_assert_int_eq(dbidl_dict_read(m, &d), 0);
        ck_assert_uint_eq(dbidl_dict_size(d), 2);
        ck_assert_str_eq(key_at(d, 0), "a");
        ck_assert_int_eq(dbidl_dict_get_int32(d, "a", &i), 0);
        ck_assert_int_eq(i, 2);
        d = dbidl_dict_unref(d);
        sd_bus_message_unref(m);

        /* a{ss} and a{sv}-in-a-variant are not a{sv} */
        m = new_message(&p);
        ck_assert_int_ge(sd_bus_message_append(m, "a{ss}v", 1, "a", "b", "a{sv}", 0), 0);
        seal(m);
        ck_assert_int_eq(dbidl_dict_read(m, &d), -ENXIO);
        ck_assert_int_ge(sd_bus_message_skip(m, "a{ss}"), 0);
        ck_assert_int_eq(dbidl_dict_read(m, &d), -ENXIO);
        ck_assert_ptr_null(d);
        sd_bus_message_unref(m);

        ck_assert_int_eq(dbidl_dict_append(NULL, NULL), -EINVAL);
        peer_close(&p);
}
END_TEST

/* The keys "k0" … of a dictionary, in order, are `expected` (n of them), and each key's uint32 is its number + add. */
static void assert_keys(const dbidl_dict *d, const unsigned *expected, size_t n, uint32_t add) {
        char key[16];
        uint32_t u;

        ck_assert_uint_eq(dbidl_dict_size(d), n);
        for (size_t i = 0; i < n; i++) {
                snprintf(key, sizeof key, "k%u", expected[i]);
                ck_assert_str_eq(key_at(d, i), key);
                ck_assert(dbidl_dict_contains(d, key));
                ck_assert_int_eq(dbidl_dict_get_uint32(d, key, &u), 0);
                ck_assert_uint_eq(u, expected[i] + add);
        }
}

/* Past 8 entries a dictionary has an index: lookups, replacement in place and removal keep order and values. */
START_TEST(test_many_entries)
{
        dbidl_dict *d = new_dict();
        unsigned expected[1000];
        size_t n = 0;
        char key[16];
        uint32_t u;

        for (unsigned i = 0; i < 1000; i++) {
                snprintf(key, sizeof key, "k%u", i);
                ck_assert_int_eq(dbidl_dict_set_uint32(d, key, i), 0);
                expected[n++] = i;
        }
        assert_keys(d, expected, n, 0);
        ck_assert(!dbidl_dict_contains(d, "k1000"));
        ck_assert_int_eq(dbidl_dict_get_uint32(d, "k1000", &u), -ENOENT);

        /* replacing keeps the size and the position */
        for (unsigned i = 0; i < 1000; i += 7) {
                snprintf(key, sizeof key, "k%u", i);
                ck_assert_int_eq(dbidl_dict_set_uint32(d, key, i + 5000), 0);
        }
        ck_assert_uint_eq(dbidl_dict_size(d), 1000);
        ck_assert_str_eq(key_at(d, 7), "k7");
        ck_assert_int_eq(dbidl_dict_get_uint32(d, "k7", &u), 0);
        ck_assert_uint_eq(u, 5007);
        for (unsigned i = 0; i < 1000; i += 7) {
                snprintf(key, sizeof key, "k%u", i);
                ck_assert_int_eq(dbidl_dict_set_uint32(d, key, i), 0);
        }

        /* removals at the front, in the middle and at the end: what follows moves up, and is still found */
        static const unsigned gone[] = { 0, 500, 999, 1, 250, 998 };
        for (size_t g = 0; g < sizeof gone / sizeof gone[0]; g++) {
                snprintf(key, sizeof key, "k%u", gone[g]);
                ck_assert_int_eq(dbidl_dict_remove(d, key), 0);
                ck_assert_int_eq(dbidl_dict_remove(d, key), -ENOENT);
                for (size_t i = 0; i < n; i++)
                        if (expected[i] == gone[g]) {
                                memmove(&expected[i], &expected[i + 1], (n - i - 1) * sizeof(unsigned));
                                n--;
                                break;
                        }
        }
        assert_keys(d, expected, n, 0);

        /* down to a few entries (no index) and up again (a new one) */
        while (n > 3) {
                snprintf(key, sizeof key, "k%u", expected[n / 2]);
                ck_assert_int_eq(dbidl_dict_remove(d, key), 0);
                memmove(&expected[n / 2], &expected[n / 2 + 1], (n - n / 2 - 1) * sizeof(unsigned));
                n--;
        }
        assert_keys(d, expected, n, 0);
        for (unsigned i = 2000; i < 2020; i++) {
                snprintf(key, sizeof key, "k%u", i);
                ck_assert_int_eq(dbidl_dict_set_uint32(d, key, i), 0);
                expected[n++] = i;
        }
        assert_keys(d, expected, n, 0);
        dbidl_dict_unref(d);
}
END_TEST

/*
 * The duplicate-key rule (dbidl/dict.h) for an a{sv} large enough to be indexed, read from the wire and from a
 * variant: the last value wins, at the position of the key's first appearance.
 */
START_TEST(test_wire_duplicates_many)
{
        peer p;
        sd_bus_message *m;
        dbidl_dict *d = NULL, *dv = NULL;
        dbidl_variant *v = NULL;
        char key[16];

        peer_open(&p);
        m = new_message(&p);
        ck_assert_int_ge(sd_bus_message_open_container(m, 'a', "{sv}"), 0);
        for (unsigned i = 0; i < 40; i++) {
                snprintf(key, sizeof key, "k%u", i);
                ck_assert_int_ge(sd_bus_message_append(m, "{sv}", key, "u", (uint32_t) i), 0);
        }
        /* k3 again, k30 twice more: their last values are 103 and 230 */
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "k3", "u", (uint32_t) 103), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "k30", "u", (uint32_t) 130), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "{sv}", "k30", "u", (uint32_t) 230), 0);
        ck_assert_int_ge(sd_bus_message_close_container(m), 0);
        seal(m);

        ck_assert_int_eq(dbidl_dict_read(m, &d), 0);
        ck_assert_int_ge(sd_bus_message_rewind(m, 1), 0);
        ck_assert_int_eq(dbidl_variant_read_value(m, &v), 0);
        ck_assert_int_eq(dbidl_variant_get_dict(v, &dv), 0);

        dbidl_dict *both[] = { d, dv };
        for (size_t k = 0; k < 2; k++) {
                uint32_t u;

                ck_assert_uint_eq(dbidl_dict_size(both[k]), 40);
                ck_assert_str_eq(key_at(both[k], 3), "k3");
                ck_assert_str_eq(key_at(both[k], 30), "k30");
                ck_assert_str_eq(key_at(both[k], 39), "k39");
                ck_assert_int_eq(dbidl_dict_get_uint32(both[k], "k3", &u), 0);
                ck_assert_uint_eq(u, 103);
                ck_assert_int_eq(dbidl_dict_get_uint32(both[k], "k30", &u), 0);
                ck_assert_uint_eq(u, 230);
                ck_assert_int_eq(dbidl_dict_get_uint32(both[k], "k31", &u), 0);
                ck_assert_uint_eq(u, 31);
        }

        dbidl_dict_unref(d);
        dbidl_dict_unref(dv);
        dbidl_variant_unref(v);
        sd_bus_message_unref(m);
        peer_close(&p);
}
END_TEST

static Suite *dict_suite(void) {
        Suite *s = suite_create("dict");
        TCase *tc;

        tc = tcase_create("entries");
        tcase_add_test(tc, test_empty);
        tcase_add_test(tc, test_set_replace_remove_order);
        tcase_add_test(tc, test_set_variant_takes_reference);
        tcase_add_test(tc, test_typed);
        tcase_add_test(tc, test_invalid);
        tcase_add_test(tc, test_variant_conversion);
        tcase_add_test(tc, test_many_entries);
        suite_add_tcase(s, tc);

        tc = tcase_create("wire");
        tcase_add_test(tc, test_wire_round_trip);
        tcase_add_test(tc, test_wire_duplicates_and_mismatch);
        tcase_add_test(tc, test_wire_duplicates_many);
        suite_add_tcase(s, tc);

        return s;
}

int main(void) {
        SRunner *sr = srunner_create(dict_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
