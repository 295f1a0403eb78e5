/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/unit/test-variant.c — Check tests for dbidl_variant: constructors, getters, text form, wire round trips */

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-id128.h>

#include <dbidl/dbidl.h>

/* ---- helpers ------------------------------------------------------------- */

/* Two ends of a peer-to-peer connection over a socketpair, both started, fd passing negotiated. */
typedef struct peer {
        sd_bus *client;
        sd_bus *server;
} peer;

static void peer_open(peer *p) {
        sd_id128_t id;
        int fds[2];

        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        ck_assert_int_ge(sd_id128_randomize(&id), 0);

        ck_assert_int_ge(sd_bus_new(&p->client), 0);
        ck_assert_int_ge(sd_bus_set_fd(p->client, fds[0], fds[0]), 0);
        ck_assert_int_ge(sd_bus_negotiate_fds(p->client, 1), 0);
        ck_assert_int_ge(sd_bus_start(p->client), 0);

        ck_assert_int_ge(sd_bus_new(&p->server), 0);
        ck_assert_int_ge(sd_bus_set_fd(p->server, fds[1], fds[1]), 0);
        ck_assert_int_ge(sd_bus_set_server(p->server, 1, id), 0);
        ck_assert_int_ge(sd_bus_set_anonymous(p->server, 1), 0);
        ck_assert_int_ge(sd_bus_negotiate_fds(p->server, 1), 0);
        ck_assert_int_ge(sd_bus_start(p->server), 0);
}

static void peer_close(peer *p) {
        /* no flush: the other end may never have read what is queued */
        p->client = sd_bus_close_unref(p->client);
        p->server = sd_bus_close_unref(p->server);
}

static sd_bus_message *new_message(peer *p) {
        sd_bus_message *m = NULL;

        ck_assert_int_ge(sd_bus_message_new_signal(p->client, &m, "/test", "org.example.Test", "Value"), 0);
        return m;
}

/* Seal `m` and rewind it for reading, as a received message would be. */
static void seal(sd_bus_message *m) {
        ck_assert_int_ge(sd_bus_message_seal(m, 1, 0), 0);
        ck_assert_int_ge(sd_bus_message_rewind(m, 1), 0);
}

/* Drive both ends until the authentication is done (sd_bus_send() of fds would block for it). */
static void peer_wait_ready(peer *p) {
        for (int i = 0; i < 1000 && sd_bus_is_ready(p->client) <= 0; i++) {
                int a, b;

                a = sd_bus_process(p->client, NULL);
                ck_assert_int_ge(a, 0);
                b = sd_bus_process(p->server, NULL);
                ck_assert_int_ge(b, 0);
                if (a == 0 && b == 0)
                        ck_assert_int_ge(sd_bus_wait(p->client, 10 * 1000), 0);
        }
        ck_assert_int_gt(sd_bus_is_ready(p->client), 0);
        ck_assert_int_gt(sd_bus_can_send(p->client, SD_BUS_TYPE_UNIX_FD), 0);
}

/* Send `m` from the client and return it as the server received it. */
static sd_bus_message *transfer(peer *p, sd_bus_message *m) {
        sd_bus_message *got = NULL;

        peer_wait_ready(p);
        ck_assert_int_ge(sd_bus_send(p->client, m, NULL), 0);
        for (int i = 0; i < 1000 && !got; i++) {
                int a, b;

                a = sd_bus_process(p->client, NULL);
                ck_assert_int_ge(a, 0);
                b = sd_bus_process(p->server, &got);
                ck_assert_int_ge(b, 0);
                if (!got && a == 0 && b == 0)
                        ck_assert_int_ge(sd_bus_wait(p->server, 10 * 1000), 0);
        }
        ck_assert_ptr_nonnull(got);
        return got;
}

static char *to_string(const dbidl_variant *v) {
        char *s = NULL;

        ck_assert_int_eq(dbidl_variant_to_string(v, &s), 0);
        ck_assert_ptr_nonnull(s);
        return s;
}

static void assert_text(dbidl_variant *v, const char *expected) {
        char *s = to_string(v);

        ck_assert_str_eq(s, expected);
        free(s);
        dbidl_variant_unref(v);
}

static dbidl_variant *v_i32(int32_t x) {
        dbidl_variant *v = NULL;
        ck_assert_int_eq(dbidl_variant_new_int32(x, &v), 0);
        return v;
}

static dbidl_variant *v_i64(int64_t x) {
        dbidl_variant *v = NULL;
        ck_assert_int_eq(dbidl_variant_new_int64(x, &v), 0);
        return v;
}

static dbidl_variant *v_str(const char *s) {
        dbidl_variant *v = NULL;
        ck_assert_int_eq(dbidl_variant_new_string(s, &v), 0);
        return v;
}

static dbidl_variant *v_var(dbidl_variant *inner) {     /* consumes inner */
        dbidl_variant *v = NULL;
        ck_assert_int_eq(dbidl_variant_new_variant(inner, &v), 0);
        dbidl_variant_unref(inner);
        return v;
}

static dbidl_variant *v_struct2(dbidl_variant *a, dbidl_variant *b) {  /* consumes both */
        dbidl_variant *m[2] = { a, b }, *v = NULL;
        ck_assert_int_eq(dbidl_variant_new_struct(m, 2, &v), 0);
        dbidl_variant_unref(a);
        dbidl_variant_unref(b);
        return v;
}

static dbidl_variant *v_entry(dbidl_variant *k, dbidl_variant *val) {   /* consumes both */
        dbidl_variant *v = NULL;
        ck_assert_int_eq(dbidl_variant_new_dict_entry(k, val, &v), 0);
        dbidl_variant_unref(k);
        dbidl_variant_unref(val);
        return v;
}

static dbidl_variant *v_array(const char *sig, dbidl_variant **items, size_t n) {      /* consumes items */
        dbidl_variant *v = NULL;
        ck_assert_int_eq(dbidl_variant_new_array(sig, items, n, &v), 0);
        for (size_t k = 0; k < n; k++)
                dbidl_variant_unref(items[k]);
        return v;
}

/* Append `v` wrapped in 'v' and bare, seal, read both back and compare. */
static void assert_round_trip(dbidl_variant *v) {
        peer p;
        sd_bus_message *m;
        dbidl_variant *a = NULL, *b = NULL;

        peer_open(&p);
        m = new_message(&p);
        ck_assert_int_ge(dbidl_variant_append(m, v), 0);
        ck_assert_int_ge(dbidl_variant_append_value(m, v), 0);
        seal(m);

        ck_assert_int_eq(dbidl_variant_read(m, &a), 0);
        ck_assert_int_eq(dbidl_variant_read_value(m, &b), 0);
        ck_assert_int_eq(sd_bus_message_at_end(m, 1), 1);
        ck_assert_str_eq(dbidl_variant_get_signature(a), dbidl_variant_get_signature(v));
        ck_assert(dbidl_variant_equal(a, v));
        ck_assert(dbidl_variant_equal(b, v));

        dbidl_variant_unref(a);
        dbidl_variant_unref(b);
        sd_bus_message_unref(m);
        peer_close(&p);
}

/* ---- constructors and getters -------------------------------------------- */

START_TEST(test_basic_edges)
{
        dbidl_variant *v = NULL;
        uint8_t y;
        bool b;
        int16_t n;
        uint16_t q;
        int32_t i;
        uint32_t u;
        int64_t x;
        uint64_t t;
        double d;
        const char *s;

        ck_assert_int_eq(dbidl_variant_new_byte(255, &v), 0);
        ck_assert_int_eq(dbidl_variant_get_byte(v, &y), 0);
        ck_assert_uint_eq(y, 255);
        ck_assert_int_eq(dbidl_variant_get_type(v), 'y');
        ck_assert_str_eq(dbidl_variant_get_signature(v), "y");
        ck_assert_uint_eq(dbidl_variant_get_n_children(v), 0);
        ck_assert_ptr_null(dbidl_variant_get_child(v, 0));
        v = dbidl_variant_unref(v);

        ck_assert_int_eq(dbidl_variant_new_bool(true, &v), 0);
        ck_assert_int_eq(dbidl_variant_get_bool(v, &b), 0);
        ck_assert(b);
        ck_assert_str_eq(dbidl_variant_get_signature(v), "b");
        v = dbidl_variant_unref(v);

        ck_assert_int_eq(dbidl_variant_new_int16(INT16_MIN, &v), 0);
        ck_assert_int_eq(dbidl_variant_get_int16(v, &n), 0);
        ck_assert_int_eq(n, INT16_MIN);
        v = dbidl_variant_unref(v);

        ck_assert_int_eq(dbidl_variant_new_uint16(UINT16_MAX, &v), 0);
        ck_assert_int_eq(dbidl_variant_get_uint16(v, &q), 0);
        ck_assert_uint_eq(q, UINT16_MAX);
        v = dbidl_variant_unref(v);

        ck_assert_int_eq(dbidl_variant_new_int32(INT32_MIN, &v), 0);
        ck_assert_int_eq(dbidl_variant_get_int32(v, &i), 0);
        ck_assert_int_eq(i, INT32_MIN);
        v = dbidl_variant_unref(v);

        ck_assert_int_eq(dbidl_variant_new_uint32(UINT32_MAX, &v), 0);
        ck_assert_int_eq(dbidl_variant_get_uint32(v, &u), 0);
        ck_assert_uint_eq(u, UINT32_MAX);
        v = dbidl_variant_unref(v);

        ck_assert_int_eq(dbidl_variant_new_int64(INT64_MIN, &v), 0);
        ck_assert_int_eq(dbidl_variant_get_int64(v, &x), 0);
        ck_assert(x == INT64_MIN);
        ck_assert_str_eq(dbidl_variant_get_signature(v), "x");
        v = dbidl_variant_unref(v);

        ck_assert_int_eq(dbidl_variant_new_uint64(UINT64_MAX, &v), 0);
        ck_assert_int_eq(dbidl_variant_get_uint64(v, &t), 0);
        ck_assert(t == UINT64_MAX);
        v = dbidl_variant_unref(v);

        ck_assert_int_eq(dbidl_variant_new_double(NAN, &v), 0);
        ck_assert_int_eq(dbidl_variant_get_double(v, &d), 0);
        ck_assert(isnan(d));
        v = dbidl_variant_unref(v);

        ck_assert_int_eq(dbidl_variant_new_double(-0.0, &v), 0);
        ck_assert_int_eq(dbidl_variant_get_double(v, &d), 0);
        ck_assert(d == 0.0 && signbit(d));
        v = dbidl_variant_unref(v);

        ck_assert_int_eq(dbidl_variant_new_string("", &v), 0);
        ck_assert_int_eq(dbidl_variant_get_string(v, &s), 0);
        ck_assert_str_eq(s, "");
        v = dbidl_variant_unref(v);

        ck_assert_int_eq(dbidl_variant_new_string("grüße ✓ 𝄞", &v), 0);
        ck_assert_int_eq(dbidl_variant_get_string(v, &s), 0);
        ck_assert_str_eq(s, "grüße ✓ 𝄞");
        v = dbidl_variant_unref(v);

        ck_assert_int_eq(dbidl_variant_new_objpath("/", &v), 0);
        ck_assert_int_eq(dbidl_variant_get_objpath(v, &s), 0);
        ck_assert_str_eq(s, "/");
        ck_assert_str_eq(dbidl_variant_get_signature(v), "o");
        v = dbidl_variant_unref(v);

        ck_assert_int_eq(dbidl_variant_new_signature("", &v), 0);
        ck_assert_int_eq(dbidl_variant_get_signature_value(v, &s), 0);
        ck_assert_str_eq(s, "");
        v = dbidl_variant_unref(v);

        ck_assert_int_eq(dbidl_variant_new_signature("a{sv}(ii)as", &v), 0);
        ck_assert_int_eq(dbidl_variant_get_signature_value(v, &s), 0);
        ck_assert_str_eq(s, "a{sv}(ii)as");
        ck_assert_str_eq(dbidl_variant_get_signature(v), "g");
        v = dbidl_variant_unref(v);
}
END_TEST

START_TEST(test_string_is_copied)
{
        char buf[] = "hello";
        dbidl_variant *v = NULL;
        const char *s;

        ck_assert_int_eq(dbidl_variant_new_string(buf, &v), 0);
        buf[0] = 'J';
        ck_assert_int_eq(dbidl_variant_get_string(v, &s), 0);
        ck_assert_str_eq(s, "hello");
        dbidl_variant_unref(v);
}
END_TEST

START_TEST(test_type_mismatch)
{
        dbidl_variant *v = v_i64(5), *sv = v_str("x"), *ov = NULL;
        uint8_t y = 7;
        bool b = true;
        int16_t n = 7;
        uint16_t q = 7;
        int32_t i = 7;
        uint32_t u = 7;
        uint64_t t = 7;
        double d = 7;
        const char *s = "untouched";
        int fd = 7;
        char **strv = NULL;
        dbidl_dict *dict = NULL;

        ck_assert_int_eq(dbidl_variant_new_objpath("/a", &ov), 0);

        ck_assert_int_eq(dbidl_variant_get_byte(v, &y), -ENXIO);
        ck_assert_int_eq(dbidl_variant_get_bool(v, &b), -ENXIO);
        ck_assert_int_eq(dbidl_variant_get_int16(v, &n), -ENXIO);
        ck_assert_int_eq(dbidl_variant_get_uint16(v, &q), -ENXIO);
        ck_assert_int_eq(dbidl_variant_get_int32(v, &i), -ENXIO);
        ck_assert_int_eq(dbidl_variant_get_uint32(v, &u), -ENXIO);
        ck_assert_int_eq(dbidl_variant_get_uint64(v, &t), -ENXIO);
        ck_assert_int_eq(dbidl_variant_get_double(v, &d), -ENXIO);
        ck_assert_int_eq(dbidl_variant_get_string(v, &s), -ENXIO);
        ck_assert_int_eq(dbidl_variant_get_fd(v, &fd), -ENXIO);
        ck_assert_int_eq(dbidl_variant_get_strv(v, &strv), -ENXIO);
        ck_assert_int_eq(dbidl_variant_get_dict(v, &dict), -ENXIO);
        /* strings of one kind are not strings of another */
        ck_assert_int_eq(dbidl_variant_get_objpath(sv, &s), -ENXIO);
        ck_assert_int_eq(dbidl_variant_get_signature_value(sv, &s), -ENXIO);
        ck_assert_int_eq(dbidl_variant_get_string(ov, &s), -ENXIO);

        /* outputs untouched */
        ck_assert_uint_eq(y, 7);
        ck_assert(b);
        ck_assert_int_eq(n, 7);
        ck_assert_int_eq(i, 7);
        ck_assert(d == 7);
        ck_assert_str_eq(s, "untouched");
        ck_assert_int_eq(fd, 7);
        ck_assert_ptr_null(strv);
        ck_assert_ptr_null(dict);

        dbidl_variant_unref(v);
        dbidl_variant_unref(sv);
        dbidl_variant_unref(ov);
}
END_TEST

START_TEST(test_invalid_input)
{
        dbidl_variant *sentinel = (dbidl_variant *) 0x1, *v = sentinel, *i = v_i32(1), *arr = NULL;
        static const char *const bad_utf8[] = {
                "\xff", "a\x80", "\xc0\x80", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82",
        };
        static const char *const bad_paths[] = { "", "a", "/a/", "//", "/a//b", "/a-b", "/a.b" };
        static const char *const bad_sigs[] = {
                "a", "(", "()", "(i", "i)", "{sv}", "a{vs}", "a{s}", "a{sii}", "z", "aa{sv", "a(v",
        };
        char deep[40], longsig[300];

        for (size_t k = 0; k < sizeof(bad_utf8) / sizeof(bad_utf8[0]); k++)
                ck_assert_int_eq(dbidl_variant_new_string(bad_utf8[k], &v), -EINVAL);
        for (size_t k = 0; k < sizeof(bad_paths) / sizeof(bad_paths[0]); k++)
                ck_assert_int_eq(dbidl_variant_new_objpath(bad_paths[k], &v), -EINVAL);
        for (size_t k = 0; k < sizeof(bad_sigs) / sizeof(bad_sigs[0]); k++) {
                ck_assert_int_eq(dbidl_variant_new_signature(bad_sigs[k], &v), -EINVAL);
                if (strcmp(bad_sigs[k], "{sv}") != 0)   /* fine as an element */
                        ck_assert_int_eq(dbidl_variant_new_array(bad_sigs[k], NULL, 0, &v), -EINVAL);
        }

        /* 33 nested arrays is one too many; 32 is fine */
        memset(deep, 'a', 33);
        strcpy(deep + 33, "i");
        ck_assert_int_eq(dbidl_variant_new_signature(deep, &v), -EINVAL);
        ck_assert_int_eq(dbidl_variant_new_signature(deep + 1, &v), 0);
        ck_assert_ptr_ne(v, sentinel);
        v = dbidl_variant_unref(v);
        v = sentinel;

        /* 256 characters is too long */
        memset(longsig, 'i', 256);
        longsig[256] = 0;
        ck_assert_int_eq(dbidl_variant_new_signature(longsig, &v), -EINVAL);
        longsig[255] = 0;
        ck_assert_int_eq(dbidl_variant_new_signature(longsig, &v), 0);
        v = dbidl_variant_unref(v);
        v = sentinel;

        ck_assert_int_eq(dbidl_variant_new_string(NULL, &v), -EINVAL);
        ck_assert_int_eq(dbidl_variant_new_objpath(NULL, &v), -EINVAL);
        ck_assert_int_eq(dbidl_variant_new_signature(NULL, &v), -EINVAL);
        ck_assert_int_eq(dbidl_variant_new_int32(1, NULL), -EINVAL);
        ck_assert_int_eq(dbidl_variant_new_variant(NULL, &v), -EINVAL);
        ck_assert_int_eq(dbidl_variant_new_fd(-1, &v), -EBADF);
        ck_assert_int_eq(dbidl_variant_new_fixed_array('s', NULL, 0, &v), -EINVAL);
        ck_assert_int_eq(dbidl_variant_new_fixed_array('h', NULL, 0, &v), -EINVAL);
        ck_assert_int_eq(dbidl_variant_new_fixed_array('i', NULL, 3, &v), -EINVAL);
        ck_assert_int_eq(dbidl_variant_new_struct(&i, 0, &v), -EINVAL);
        ck_assert_int_eq(dbidl_variant_new_struct(NULL, 1, &v), -EINVAL);
        /* items must match the element signature */
        ck_assert_int_eq(dbidl_variant_new_array("x", &i, 1, &v), -EINVAL);
        ck_assert_int_eq(dbidl_variant_new_array("i", NULL, 1, &v), -EINVAL);
        /* a dict entry needs a basic key and is only valid inside an array */
        ck_assert_int_eq(dbidl_variant_new_array("i", &i, 1, &arr), 0);
        ck_assert_int_eq(dbidl_variant_new_dict_entry(arr, i, &v), -EINVAL);
        ck_assert_ptr_eq(v, sentinel);
        {
                dbidl_variant *e = v_entry(v_str("k"), v_i32(1));

                ck_assert_int_eq(dbidl_variant_new_struct(&e, 1, &v), -EINVAL);
                ck_assert_int_eq(dbidl_variant_new_variant(e, &v), -EINVAL);
                ck_assert_int_eq(dbidl_variant_new_dict_entry(i, e, &v), -EINVAL);
                dbidl_variant_unref(e);
        }
        ck_assert_ptr_eq(v, sentinel);

        dbidl_variant_unref(arr);
        dbidl_variant_unref(i);
}
END_TEST

START_TEST(test_ref_unref)
{
        dbidl_variant *v = v_i32(3);

        ck_assert_ptr_eq(dbidl_variant_ref(v), v);
        ck_assert_ptr_null(dbidl_variant_unref(v));
        ck_assert_str_eq(dbidl_variant_get_signature(v), "i");        /* still alive */
        ck_assert_ptr_null(dbidl_variant_unref(v));
        ck_assert_ptr_null(dbidl_variant_unref(NULL));
        ck_assert_ptr_null(dbidl_variant_ref(NULL));
}
END_TEST

START_TEST(test_containers)
{
        dbidl_variant *items[3] = { v_i32(1), v_i32(2), v_i32(3) };
        dbidl_variant *a = v_array("i", items, 3), *e, *s, *nested, *empty, *dict;
        int32_t i;

        ck_assert_str_eq(dbidl_variant_get_signature(a), "ai");
        ck_assert_int_eq(dbidl_variant_get_type(a), 'a');
        ck_assert_uint_eq(dbidl_variant_get_n_children(a), 3);
        ck_assert_int_eq(dbidl_variant_get_int32(dbidl_variant_get_child(a, 2), &i), 0);
        ck_assert_int_eq(i, 3);
        ck_assert_ptr_null(dbidl_variant_get_child(a, 3));

        s = v_struct2(v_str("x"), dbidl_variant_ref(a));
        ck_assert_str_eq(dbidl_variant_get_signature(s), "(sai)");
        ck_assert_int_eq(dbidl_variant_get_type(s), 'r');
        ck_assert_uint_eq(dbidl_variant_get_n_children(s), 2);

        e = v_entry(v_str("k"), v_var(dbidl_variant_ref(s)));
        ck_assert_str_eq(dbidl_variant_get_signature(e), "{sv}");
        ck_assert_int_eq(dbidl_variant_get_type(e), 'e');
        dict = v_array("{sv}", &e, 1);
        ck_assert_str_eq(dbidl_variant_get_signature(dict), "a{sv}");

        nested = v_var(v_var(v_i32(42)));
        ck_assert_str_eq(dbidl_variant_get_signature(nested), "v");
        ck_assert_int_eq(dbidl_variant_get_type(nested), 'v');
        ck_assert_uint_eq(dbidl_variant_get_n_children(nested), 1);
        ck_assert_str_eq(dbidl_variant_get_signature(dbidl_variant_get_child(nested, 0)), "v");

        /* empty arrays keep their element type */
        ck_assert_int_eq(dbidl_variant_new_array("a{sv}", NULL, 0, &empty), 0);
        ck_assert_str_eq(dbidl_variant_get_signature(empty), "aa{sv}");
        ck_assert_uint_eq(dbidl_variant_get_n_children(empty), 0);

        dbidl_variant_unref(a);
        dbidl_variant_unref(s);
        dbidl_variant_unref(dict);
        dbidl_variant_unref(nested);
        dbidl_variant_unref(empty);
}
END_TEST

START_TEST(test_fixed_arrays)
{
        static const uint8_t ys[] = { 0, 1, 255 };
        static const bool bs[] = { true, false, true };
        static const int16_t ns[] = { INT16_MIN, -1, INT16_MAX };
        static const uint16_t qs[] = { 0, UINT16_MAX };
        static const int32_t is[] = { INT32_MIN, 0, INT32_MAX };
        static const uint32_t us[] = { UINT32_MAX };
        static const int64_t xs[] = { INT64_MIN, INT64_MAX };
        static const uint64_t ts[] = { UINT64_MAX, 0 };
        const double ds[] = { 1.5, -0.0, NAN, INFINITY };
        dbidl_variant *v = NULL;
        bool b;
        int64_t x;
        double d;

        ck_assert_int_eq(dbidl_variant_new_fixed_array('b', bs, 3, &v), 0);
        ck_assert_str_eq(dbidl_variant_get_signature(v), "ab");
        ck_assert_uint_eq(dbidl_variant_get_n_children(v), 3);
        ck_assert_int_eq(dbidl_variant_get_bool(dbidl_variant_get_child(v, 1), &b), 0);
        ck_assert(!b);
        ck_assert_int_eq(dbidl_variant_get_bool(dbidl_variant_get_child(v, 2), &b), 0);
        ck_assert(b);
        assert_round_trip(v);
        v = dbidl_variant_unref(v);

        ck_assert_int_eq(dbidl_variant_new_fixed_array('x', xs, 2, &v), 0);
        ck_assert_int_eq(dbidl_variant_get_int64(dbidl_variant_get_child(v, 0), &x), 0);
        ck_assert(x == INT64_MIN);
        assert_round_trip(v);
        v = dbidl_variant_unref(v);

        ck_assert_int_eq(dbidl_variant_new_fixed_array('d', ds, 4, &v), 0);
        ck_assert_int_eq(dbidl_variant_get_double(dbidl_variant_get_child(v, 2), &d), 0);
        ck_assert(isnan(d));
        assert_round_trip(v);
        v = dbidl_variant_unref(v);

#define RT(c, arr)                                                                              \
        ck_assert_int_eq(dbidl_variant_new_fixed_array(c, arr, sizeof(arr) / sizeof(arr[0]), &v), 0); \
        ck_assert_uint_eq(dbidl_variant_get_n_children(v), sizeof(arr) / sizeof(arr[0]));      \
        assert_round_trip(v);                                                                   \
        v = dbidl_variant_unref(v);
        RT('y', ys);
        RT('n', ns);
        RT('q', qs);
        RT('i', is);
        RT('u', us);
        RT('t', ts);
#undef RT

        /* empty fixed arrays */
        for (const char *c = "ybnqiuxtd"; *c; c++) {
                char sig[3] = { 'a', *c, 0 };

                ck_assert_int_eq(dbidl_variant_new_fixed_array(*c, NULL, 0, &v), 0);
                ck_assert_str_eq(dbidl_variant_get_signature(v), sig);
                ck_assert_uint_eq(dbidl_variant_get_n_children(v), 0);
                assert_round_trip(v);
                v = dbidl_variant_unref(v);
        }
}
END_TEST

START_TEST(test_strv)
{
        char *in[] = { (char *) "a", (char *) "", (char *) "ü", NULL };
        dbidl_variant *v = NULL, *paths[2] = { NULL, NULL }, *ao, *ai = NULL;
        char **out = NULL;
        int32_t ints[] = { 1 };

        ck_assert_int_eq(dbidl_variant_new_strv(in, &v), 0);
        ck_assert_str_eq(dbidl_variant_get_signature(v), "as");
        ck_assert_int_eq(dbidl_variant_get_strv(v, &out), 0);
        ck_assert_str_eq(out[0], "a");
        ck_assert_str_eq(out[1], "");
        ck_assert_str_eq(out[2], "ü");
        ck_assert_ptr_null(out[3]);
        out = dbidl_strv_free(out);
        ck_assert_ptr_null(out);
        assert_round_trip(v);
        v = dbidl_variant_unref(v);

        ck_assert_int_eq(dbidl_variant_new_strv(NULL, &v), 0);
        ck_assert_str_eq(dbidl_variant_get_signature(v), "as");
        ck_assert_int_eq(dbidl_variant_get_strv(v, &out), 0);
        ck_assert_ptr_null(out[0]);
        out = dbidl_strv_free(out);
        v = dbidl_variant_unref(v);

        {
                char *bad[] = { (char *) "ok", (char *) "\xff", NULL };
                ck_assert_int_eq(dbidl_variant_new_strv(bad, &v), -EINVAL);
                ck_assert_ptr_null(v);
        }

        ck_assert_int_eq(dbidl_variant_new_objpath("/a", &paths[0]), 0);
        ck_assert_int_eq(dbidl_variant_new_objpath("/b/c", &paths[1]), 0);
        ao = v_array("o", paths, 2);
        ck_assert_int_eq(dbidl_variant_get_strv(ao, &out), 0);
        ck_assert_str_eq(out[1], "/b/c");
        ck_assert_ptr_null(out[2]);
        dbidl_strv_free(out);
        out = NULL;
        dbidl_variant_unref(ao);

        ck_assert_int_eq(dbidl_variant_new_fixed_array('i', ints, 1, &ai), 0);
        ck_assert_int_eq(dbidl_variant_get_strv(ai, &out), -ENXIO);
        ck_assert_ptr_null(out);
        dbidl_variant_unref(ai);
        ck_assert_ptr_null(dbidl_strv_free(NULL));
}
END_TEST

START_TEST(test_fd)
{
        dbidl_variant *v = NULL, *w = NULL;
        struct stat a, b;
        int fd, held = -1, flags;

        fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(dbidl_variant_new_fd(fd, &v), 0);
        ck_assert_str_eq(dbidl_variant_get_signature(v), "h");
        ck_assert_int_eq(dbidl_variant_get_fd(v, &held), 0);
        ck_assert_int_ne(held, fd);
        ck_assert_int_ge(held, 3);
        flags = fcntl(held, F_GETFD);
        ck_assert_int_ge(flags, 0);
        ck_assert(flags & FD_CLOEXEC);
        ck_assert_int_eq(fstat(fd, &a), 0);
        close(fd);
        /* the duplicate outlives the original */
        ck_assert_int_eq(fstat(held, &b), 0);
        ck_assert(a.st_ino == b.st_ino && a.st_dev == b.st_dev);

        /* a closed fd cannot be held */
        ck_assert_int_eq(dbidl_variant_new_fd(fd, &w), -EBADF);
        ck_assert_ptr_null(w);

        dbidl_variant_unref(v);
        /* unref closed the duplicate */
        ck_assert_int_eq(fcntl(held, F_GETFD), -1);
        ck_assert_int_eq(errno, EBADF);
}
END_TEST

START_TEST(test_fd_transfer)
{
        peer p;
        sd_bus_message *m, *got;
        dbidl_variant *v = NULL, *r = NULL, *s;
        struct stat a, b;
        int fd, held = -1;

        fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(fstat(fd, &a), 0);
        ck_assert_int_eq(dbidl_variant_new_fd(fd, &v), 0);
        close(fd);
        s = v_struct2(v_str("file"), v);

        peer_open(&p);
        m = new_message(&p);
        ck_assert_int_ge(dbidl_variant_append(m, s), 0);
        got = transfer(&p, m);
        sd_bus_message_unref(m);

        ck_assert_int_eq(dbidl_variant_read(got, &r), 0);
        ck_assert_str_eq(dbidl_variant_get_signature(r), "(sh)");
        /* the variant's fd must survive the message */
        sd_bus_message_unref(got);
        ck_assert_int_eq(dbidl_variant_get_fd(dbidl_variant_get_child(r, 1), &held), 0);
        ck_assert_int_ge(held, 3);
        ck_assert_int_eq(fstat(held, &b), 0);
        ck_assert(a.st_ino == b.st_ino && a.st_dev == b.st_dev);

        dbidl_variant_unref(r);
        dbidl_variant_unref(s);
        peer_close(&p);
}
END_TEST

/* ---- equality and text --------------------------------------------------- */

START_TEST(test_equal)
{
        dbidl_variant *a = v_i32(1), *b = v_i32(1), *c = v_i32(2), *x = v_i64(1), *n1 = NULL, *n2 = NULL,
                      *z1 = NULL, *z2 = NULL, *s1, *s2, *s3;

        ck_assert(dbidl_variant_equal(a, b));
        ck_assert(!dbidl_variant_equal(a, c));
        ck_assert(!dbidl_variant_equal(a, x));
        ck_assert(!dbidl_variant_equal(a, NULL));
        ck_assert(dbidl_variant_equal(NULL, NULL));

        ck_assert_int_eq(dbidl_variant_new_double(NAN, &n1), 0);
        ck_assert_int_eq(dbidl_variant_new_double(NAN, &n2), 0);
        ck_assert(dbidl_variant_equal(n1, n2));         /* bitwise */
        ck_assert_int_eq(dbidl_variant_new_double(0.0, &z1), 0);
        ck_assert_int_eq(dbidl_variant_new_double(-0.0, &z2), 0);
        ck_assert(!dbidl_variant_equal(z1, z2));

        s1 = v_struct2(v_str("k"), v_var(v_i32(1)));
        s2 = v_struct2(v_str("k"), v_var(v_i32(1)));
        s3 = v_struct2(v_str("k"), v_var(v_i64(1)));
        ck_assert(dbidl_variant_equal(s1, s2));
        ck_assert(!dbidl_variant_equal(s1, s3));

        dbidl_variant_unref(a);
        dbidl_variant_unref(b);
        dbidl_variant_unref(c);
        dbidl_variant_unref(x);
        dbidl_variant_unref(n1);
        dbidl_variant_unref(n2);
        dbidl_variant_unref(z1);
        dbidl_variant_unref(z2);
        dbidl_variant_unref(s1);
        dbidl_variant_unref(s2);
        dbidl_variant_unref(s3);
}
END_TEST

START_TEST(test_to_string_basic)
{
        dbidl_variant *v = NULL;

        ck_assert_int_eq(dbidl_variant_new_byte(5, &v), 0);
        assert_text(v, "byte 0x05");
        ck_assert_int_eq(dbidl_variant_new_bool(true, &v), 0);
        assert_text(v, "true");
        ck_assert_int_eq(dbidl_variant_new_bool(false, &v), 0);
        assert_text(v, "false");
        ck_assert_int_eq(dbidl_variant_new_int16(-5, &v), 0);
        assert_text(v, "int16 -5");
        ck_assert_int_eq(dbidl_variant_new_uint16(5, &v), 0);
        assert_text(v, "uint16 5");
        assert_text(v_i32(INT32_MIN), "-2147483648");
        ck_assert_int_eq(dbidl_variant_new_uint32(UINT32_MAX, &v), 0);
        assert_text(v, "uint32 4294967295");
        assert_text(v_i64(INT64_MIN), "int64 -9223372036854775808");
        ck_assert_int_eq(dbidl_variant_new_uint64(UINT64_MAX, &v), 0);
        assert_text(v, "uint64 18446744073709551615");

        ck_assert_int_eq(dbidl_variant_new_double(1.5, &v), 0);
        assert_text(v, "1.5");
        ck_assert_int_eq(dbidl_variant_new_double(1.0, &v), 0);
        assert_text(v, "1.0");
        ck_assert_int_eq(dbidl_variant_new_double(0.1, &v), 0);
        assert_text(v, "0.1");
        ck_assert_int_eq(dbidl_variant_new_double(-2.0, &v), 0);
        assert_text(v, "-2.0");
        ck_assert_int_eq(dbidl_variant_new_double(1e300, &v), 0);
        assert_text(v, "1e+300");
        ck_assert_int_eq(dbidl_variant_new_double(1.0 / 3.0, &v), 0);
        assert_text(v, "0.3333333333333333");
        ck_assert_int_eq(dbidl_variant_new_double(NAN, &v), 0);
        assert_text(v, "nan");
        ck_assert_int_eq(dbidl_variant_new_double(-INFINITY, &v), 0);
        assert_text(v, "-inf");

        assert_text(v_str(""), "''");
        assert_text(v_str("hello"), "'hello'");
        assert_text(v_str("it's"), "\"it's\"");
        assert_text(v_str("a'b\"c"), "\"a'b\\\"c\"");
        assert_text(v_str("back\\slash"), "'back\\\\slash'");
        assert_text(v_str("t\tn\nx\x01"), "'t\\tn\\nx\\u0001'");
        assert_text(v_str("grüße"), "'grüße'");
        ck_assert_int_eq(dbidl_variant_new_objpath("/a", &v), 0);
        assert_text(v, "objectpath '/a'");
        ck_assert_int_eq(dbidl_variant_new_signature("i", &v), 0);
        assert_text(v, "signature 'i'");
        ck_assert_int_eq(dbidl_variant_new_fd(0, &v), 0);
        {
                int fd = -1;
                char expect[32];

                ck_assert_int_eq(dbidl_variant_get_fd(v, &fd), 0);
                snprintf(expect, sizeof(expect), "handle %d", fd);
                assert_text(v, expect);
        }
}
END_TEST

START_TEST(test_to_string_containers)
{
        dbidl_variant *v = NULL, *items[3];
        static const uint8_t bytes[] = { 'h', 'i', 0 };
        static const uint8_t raw[] = { 1, 2 };
        static const int64_t xs[] = { 1, 2 };

        items[0] = v_i32(1);
        items[1] = v_i32(2);
        assert_text(v_array("i", items, 2), "[1, 2]");

        ck_assert_int_eq(dbidl_variant_new_fixed_array('x', xs, 2, &v), 0);
        assert_text(v, "[int64 1, 2]");
        ck_assert_int_eq(dbidl_variant_new_fixed_array('i', NULL, 0, &v), 0);
        assert_text(v, "@ai []");
        ck_assert_int_eq(dbidl_variant_new_array("{sv}", NULL, 0, &v), 0);
        assert_text(v, "@a{sv} {}");
        ck_assert_int_eq(dbidl_variant_new_fixed_array('y', bytes, 3, &v), 0);
        assert_text(v, "b'hi'");
        ck_assert_int_eq(dbidl_variant_new_fixed_array('y', raw, 2, &v), 0);
        assert_text(v, "[byte 0x01, 0x02]");

        /* nested arrays: only the first element is annotated */
        ck_assert_int_eq(dbidl_variant_new_fixed_array('i', NULL, 0, &items[0]), 0);
        ck_assert_int_eq(dbidl_variant_new_fixed_array('i', NULL, 0, &items[1]), 0);
        assert_text(v_array("ai", items, 2), "[@ai [], []]");

        assert_text(v_struct2(v_i32(1), v_str("x")), "(1, 'x')");
        assert_text(v_struct2(v_i64(1), v_i64(2)), "(int64 1, int64 2)");
        items[0] = v_i32(7);
        ck_assert_int_eq(dbidl_variant_new_struct(items, 1, &v), 0);
        dbidl_variant_unref(items[0]);
        assert_text(v, "(7,)");

        items[0] = v_entry(v_str("k"), v_var(v_str("v")));
        items[1] = v_entry(v_str("n"), v_var(v_i64(5)));
        assert_text(v_array("{sv}", items, 2), "{'k': <'v'>, 'n': <int64 5>}");

        items[0] = v_entry(v_str("a"), v_i64(1));
        items[1] = v_entry(v_str("b"), v_i64(2));
        assert_text(v_array("{sx}", items, 2), "{'a': int64 1, 'b': 2}");

        assert_text(v_entry(v_str("a"), v_i32(1)), "{'a', 1}");
        assert_text(v_var(v_i32(42)), "<42>");
        {
                dbidl_variant *u = NULL;
                ck_assert_int_eq(dbidl_variant_new_uint32(1, &u), 0);
                assert_text(v_var(v_var(u)), "<<uint32 1>>");
        }
}
END_TEST

/* ---- wire ---------------------------------------------------------------- */

static dbidl_variant *make_everything(void) {
        dbidl_variant *m[14] = { NULL }, *v = NULL, *e[2], *inner[2];
        size_t n = 0;

        ck_assert_int_eq(dbidl_variant_new_byte(0xfe, &m[n++]), 0);
        ck_assert_int_eq(dbidl_variant_new_bool(true, &m[n++]), 0);
        ck_assert_int_eq(dbidl_variant_new_int16(INT16_MIN, &m[n++]), 0);
        ck_assert_int_eq(dbidl_variant_new_uint16(UINT16_MAX, &m[n++]), 0);
        ck_assert_int_eq(dbidl_variant_new_int32(INT32_MIN, &m[n++]), 0);
        ck_assert_int_eq(dbidl_variant_new_uint32(UINT32_MAX, &m[n++]), 0);
        ck_assert_int_eq(dbidl_variant_new_int64(INT64_MIN, &m[n++]), 0);
        ck_assert_int_eq(dbidl_variant_new_uint64(UINT64_MAX, &m[n++]), 0);
        ck_assert_int_eq(dbidl_variant_new_double(NAN, &m[n++]), 0);
        ck_assert_int_eq(dbidl_variant_new_string("", &m[n++]), 0);
        ck_assert_int_eq(dbidl_variant_new_objpath("/org/example/x", &m[n++]), 0);
        ck_assert_int_eq(dbidl_variant_new_signature("a{sv}", &m[n++]), 0);

        /* a{sv} with an empty nested a{sv} and a nested variant */
        ck_assert_int_eq(dbidl_variant_new_array("{sv}", NULL, 0, &inner[0]), 0);
        e[0] = v_entry(v_str("empty"), v_var(inner[0]));
        e[1] = v_entry(v_str("deep"), v_var(v_var(v_str("x"))));
        m[n++] = v_array("{sv}", e, 2);

        /* a(ias) with items */
        {
                char *strv[] = { (char *) "p", (char *) "q", NULL };
                dbidl_variant *sv = NULL, *t[2];

                ck_assert_int_eq(dbidl_variant_new_strv(strv, &sv), 0);
                t[0] = v_struct2(v_i32(1), sv);
                ck_assert_int_eq(dbidl_variant_new_strv(NULL, &sv), 0);
                t[1] = v_struct2(v_i32(2), sv);
                m[n++] = v_array("(ias)", t, 2);
        }

        ck_assert_int_eq(dbidl_variant_new_struct(m, n, &v), 0);
        for (size_t k = 0; k < n; k++)
                dbidl_variant_unref(m[k]);
        return v;
}

START_TEST(test_round_trip_everything)
{
        dbidl_variant *v = make_everything();
        char *s = to_string(v);

        ck_assert_str_eq(dbidl_variant_get_signature(v), "(ybnqiuxtdsoga{sv}a(ias))");
        ck_assert_str_eq(s, "(byte 0xfe, true, int16 -32768, uint16 65535, -2147483648, uint32 4294967295, "
                            "int64 -9223372036854775808, uint64 18446744073709551615, nan, '', "
                            "objectpath '/org/example/x', signature 'a{sv}', "
                            "{'empty': <@a{sv} {}>, 'deep': <<'x'>>}, [(1, ['p', 'q']), (2, [])])");
        free(s);
        assert_round_trip(v);
        dbidl_variant_unref(v);
}
END_TEST

START_TEST(test_round_trip_transfer)
{
        peer p;
        dbidl_variant *v = make_everything(), *r = NULL, *w = NULL;
        sd_bus_message *m, *got;

        peer_open(&p);
        m = new_message(&p);
        ck_assert_int_ge(dbidl_variant_append(m, v), 0);
        ck_assert_int_ge(dbidl_variant_append_value(m, v), 0);
        got = transfer(&p, m);
        ck_assert_str_eq(sd_bus_message_get_signature(got, 1), "v(ybnqiuxtdsoga{sv}a(ias))");
        ck_assert_int_eq(dbidl_variant_read(got, &r), 0);
        ck_assert(dbidl_variant_equal(r, v));
        /* the next item is a struct, not a variant */
        ck_assert_int_eq(dbidl_variant_read(got, &w), -ENXIO);
        ck_assert_ptr_null(w);
        ck_assert_int_eq(dbidl_variant_read_value(got, &w), 0);
        ck_assert(dbidl_variant_equal(w, v));
        /* nothing left */
        dbidl_variant_unref(w);
        w = NULL;
        ck_assert_int_eq(dbidl_variant_read_value(got, &w), -ENXIO);
        ck_assert_int_eq(dbidl_variant_read(got, &w), -ENXIO);
        ck_assert_ptr_null(w);

        sd_bus_message_unref(m);
        sd_bus_message_unref(got);
        dbidl_variant_unref(r);
        dbidl_variant_unref(v);
        peer_close(&p);
}
END_TEST

START_TEST(test_read_foreign)
{
        /* values appended by sd-bus itself, not by us */
        peer p;
        sd_bus_message *m;
        dbidl_variant *v = NULL;
        char *s;

        peer_open(&p);
        m = new_message(&p);
        ck_assert_int_ge(sd_bus_message_append(m, "va{sv}a{is}",
                                               "(sb)", "x", 1,
                                               2, "a", "s", "b", "b", "ai", 2, 3, 4,
                                               1, 7, "seven"), 0);
        seal(m);
        ck_assert_int_eq(dbidl_variant_read(m, &v), 0);
        s = to_string(v);
        ck_assert_str_eq(s, "('x', true)");
        free(s);
        v = dbidl_variant_unref(v);
        ck_assert_int_eq(dbidl_variant_read_value(m, &v), 0);
        s = to_string(v);
        ck_assert_str_eq(s, "{'a': <'b'>, 'b': <[3, 4]>}");
        free(s);
        v = dbidl_variant_unref(v);
        ck_assert_int_eq(dbidl_variant_read_value(m, &v), 0);
        ck_assert_str_eq(dbidl_variant_get_signature(v), "a{is}");
        s = to_string(v);
        ck_assert_str_eq(s, "{7: 'seven'}");
        free(s);
        v = dbidl_variant_unref(v);

        sd_bus_message_unref(m);
        peer_close(&p);
}
END_TEST

/* Append `levels` nested 'v' containers around an int32, after a string, inside a struct. */
static void append_deep(sd_bus_message *m, unsigned levels) {
        char sig[2] = "v";

        ck_assert_int_ge(sd_bus_message_open_container(m, 'v', "(sv)"), 0);
        ck_assert_int_ge(sd_bus_message_open_container(m, 'r', "sv"), 0);
        ck_assert_int_ge(sd_bus_message_append_basic(m, 's', "partial"), 0);
        for (unsigned k = 0; k < levels; k++)
                ck_assert_int_ge(sd_bus_message_open_container(m, 'v', k + 1 == levels ? "i" : sig), 0);
        ck_assert_int_ge(sd_bus_message_append(m, "i", 42), 0);
        for (unsigned k = 0; k < levels; k++)
                ck_assert_int_ge(sd_bus_message_close_container(m), 0);
        ck_assert_int_ge(sd_bus_message_close_container(m), 0);
        ck_assert_int_ge(sd_bus_message_close_container(m), 0);
}

START_TEST(test_depth_limit)
{
        peer p;
        sd_bus_message *m;
        dbidl_variant *v = NULL, *deep;

        peer_open(&p);

        /* struct + 63 variants = 64 containers: accepted */
        m = new_message(&p);
        append_deep(m, 63);
        seal(m);
        ck_assert_int_eq(dbidl_variant_read(m, &v), 0);
        ck_assert_str_eq(dbidl_variant_get_signature(v), "(sv)");
        v = dbidl_variant_unref(v);
        sd_bus_message_unref(m);

        /* 65 containers: refused, and the partly read tree is freed (valgrind) */
        m = new_message(&p);
        append_deep(m, 64);
        seal(m);
        ck_assert_int_eq(dbidl_variant_read(m, &v), -EBADMSG);
        ck_assert_ptr_null(v);
        sd_bus_message_unref(m);

        m = new_message(&p);
        append_deep(m, 100);
        seal(m);
        ck_assert_int_eq(dbidl_variant_read(m, &v), -EBADMSG);
        ck_assert_ptr_null(v);
        sd_bus_message_unref(m);

        /* construction has the same limit */
        deep = v_i32(1);
        for (int k = 0; k < 64; k++)
                deep = v_var(deep);
        ck_assert_int_eq(dbidl_variant_new_variant(deep, &v), -EINVAL);
        ck_assert_ptr_null(v);
        assert_round_trip(deep);
        dbidl_variant_unref(deep);

        peer_close(&p);
}
END_TEST

START_TEST(test_append_invalid)
{
        peer p;
        sd_bus_message *m;
        dbidl_variant *e = v_entry(v_str("k"), v_i32(1));

        peer_open(&p);
        m = new_message(&p);
        ck_assert_int_lt(dbidl_variant_append_value(m, e), 0);  /* a lone dict entry */
        ck_assert_int_eq(dbidl_variant_append(NULL, e), -EINVAL);
        ck_assert_int_eq(dbidl_variant_append(m, NULL), -EINVAL);
        sd_bus_message_unref(m);
        dbidl_variant_unref(e);
        peer_close(&p);
}
END_TEST

static Suite *variant_suite(void) {
        Suite *s = suite_create("variant");
        TCase *tc;

        tc = tcase_create("values");
        tcase_add_test(tc, test_basic_edges);
        tcase_add_test(tc, test_string_is_copied);
        tcase_add_test(tc, test_type_mismatch);
        tcase_add_test(tc, test_invalid_input);
        tcase_add_test(tc, test_ref_unref);
        tcase_add_test(tc, test_containers);
        tcase_add_test(tc, test_fixed_arrays);
        tcase_add_test(tc, test_strv);
        tcase_add_test(tc, test_fd);
        tcase_add_test(tc, test_equal);
        suite_add_tcase(s, tc);

        tc = tcase_create("text");
        tcase_add_test(tc, test_to_string_basic);
        tcase_add_test(tc, test_to_string_containers);
        suite_add_tcase(s, tc);

        tc = tcase_create("wire");
        tcase_add_test(tc, test_round_trip_everything);
        tcase_add_test(tc, test_round_trip_transfer);
        tcase_add_test(tc, test_read_foreign);
        tcase_add_test(tc, test_depth_limit);
        tcase_add_test(tc, test_append_invalid);
        tcase_add_test(tc, test_fd_transfer);
        suite_add_tcase(s, tc);

        return s;
}

int main(void) {
        SRunner *sr = srunner_create(variant_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
