/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/types/client.c — types-client: sends every type to org.dbidl.Types1 through the generated proxy and checks the echo */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "types.h"

#define TYPES_PATH "/org/dbidl/Types1"

static int checks, failures;

/* One line per check: "ok: what" or "FAILED: what". */
static void check(bool ok, const char *format, ...) DBIDL_PRINTF(2, 3);
static void check(bool ok, const char *format, ...) {
        va_list ap;
        checks++;
        if (!ok)
                failures++;
        printf("  %s: ", ok ? "ok" : "FAILED");
        va_start(ap, format);
        vprintf(format, ap);
        va_end(ap);
        printf("\n");
}

/* A call must have succeeded; says why not (and frees the error) otherwise. */
static bool call_ok(int r, sd_bus_error *error, const char *what) {
        if (r < 0) {
                check(false, "%s: %s", what, dbidl_error_message(r, error));
                sd_bus_error_free(error);
                return false;
        }
        return true;
}

/* Process bus traffic until *count reaches target or 5 s pass. */
static int wait_count(sd_bus *bus, const int *count, int target) {
        for (int i = 0; i < 500 && *count < target; i++) {
                int r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                r = sd_bus_wait(bus, 10000);
                if (r < 0)
                        return r;
        }
        return *count >= target ? 0 : -ETIMEDOUT;
}

/* ---- equality of what was sent and what came back ---- */

static size_t strv_len(char *const *strv) {
        size_t n = 0;
        while (strv && strv[n])
                n++;
        return n;
}

static bool str_eq(const char *a, const char *b) {
        return strcmp(a ? a : "", b ? b : "") == 0;
}

/* NULL and an empty vector are the same empty array. */
static bool strv_eq(char *const *a, char *const *b) {
        size_t i = 0;
        for (; a && a[i] && b && b[i]; i++)
                if (strcmp(a[i], b[i]) != 0)
                        return false;
        return !(a && a[i]) && !(b && b[i]);
}

/* Doubles compare by value, NaN equals NaN, and -0.0 is not 0.0: the wire keeps all 64 bits. */
static bool double_eq(double a, double b) {
        if (isnan(a) || isnan(b))
                return isnan(a) && isnan(b);
        return a == b && signbit(a) == signbit(b);
}

static bool dict_eq(const dbidl_dict *a, const dbidl_dict *b) {
        if (dbidl_dict_size(a) != dbidl_dict_size(b))
                return false;
        for (size_t i = 0; i < dbidl_dict_size(a); i++) {
                const char *ka, *kb;
                dbidl_variant *va, *vb;
                if (dbidl_dict_get_entry(a, i, &ka, &va) < 0 || dbidl_dict_get_entry(b, i, &kb, &vb) < 0)
                        return false;
                if (strcmp(ka, kb) != 0 || !dbidl_variant_equal(va, vb))
                        return false;
        }
        return true;
}

static bool double_array_eq(const types_DoubleArray *a, const types_DoubleArray *b) {
        if (a->n != b->n)
                return false;
        for (size_t i = 0; i < a->n; i++)
                if (!double_eq(a->items[i], b->items[i]))
                        return false;
        return true;
}

static bool double_array_array_eq(const types_DoubleArrayArray *a, const types_DoubleArrayArray *b) {
        if (a->n != b->n)
                return false;
        for (size_t i = 0; i < a->n; i++)
                if (!double_array_eq(&a->items[i], &b->items[i]))
                        return false;
        return true;
}

static bool string_int32_dict_eq(const types_StringInt32Dict *a, const types_StringInt32Dict *b) {
        if (a->n != b->n)
                return false;
        for (size_t i = 0; i < a->n; i++)
                if (!str_eq(a->items[i].key, b->items[i].key) || a->items[i].value != b->items[i].value)
                        return false;
        return true;
}

static bool header_eq(const types_Header *a, const types_Header *b) {
        return a->id == b->id && str_eq(a->label, b->label) && str_eq(a->path, b->path);
}

/* Anonymous structs of the same shape have one C type per place of use: compare them member by member. */
#define ANON_EQ(a, b) ((a)->m0 == (b)->m0 && str_eq((a)->m1.m0, (b)->m1.m0) && str_eq((a)->m1.m1, (b)->m1.m1))

#define DEFINE_ITEMS_EQ(name, A, B)                                             \
        static bool name(const A *a, const B *b) {                              \
                if (a->n != b->n)                                               \
                        return false;                                           \
                for (size_t i = 0; i < a->n; i++)                               \
                        if (a->items[i].m0 != b->items[i].m0 ||                 \
                            !strv_eq(a->items[i].m1, b->items[i].m1))           \
                                return false;                                   \
                return true;                                                    \
        }

DEFINE_ITEMS_EQ(items_out_eq, types_EchoStructs_Items_ItemArray, types_EchoStructs_OutItems_ItemArray)
DEFINE_ITEMS_EQ(items_signal_eq, types_EchoStructs_Items_ItemArray, types_StructsEchoed_Items_ItemArray)

static bool record_eq(const types_Record *a, const types_Record *b) {
        return header_eq(&a->header, &b->header) && a->color == b->color && ANON_EQ(&a->where, &b->where) &&
               strv_eq(a->tags, b->tags) && string_int32_dict_eq(&a->scores, &b->scores) &&
               double_array_array_eq(&a->matrix, &b->matrix);
}

static bool record_array_eq(const types_RecordArray *a, const types_RecordArray *b) {
        if (a->n != b->n)
                return false;
        for (size_t i = 0; i < a->n; i++)
                if (!record_eq(&a->items[i], &b->items[i]))
                        return false;
        return true;
}

static bool lists_eq(const types_Uint32StringArrayDict *a, const types_Uint32StringArrayDict *b) {
        if (a->n != b->n)
                return false;
        for (size_t i = 0; i < a->n; i++)
                if (a->items[i].key != b->items[i].key || !strv_eq(a->items[i].value, b->items[i].value))
                        return false;
        return true;
}

static bool objects_eq(const types_ObjpathVardictDict *a, const types_ObjpathVardictDict *b) {
        if (a->n != b->n)
                return false;
        for (size_t i = 0; i < a->n; i++)
                if (!str_eq(a->items[i].key, b->items[i].key) || !dict_eq(a->items[i].value, b->items[i].value))
                        return false;
        return true;
}

static bool nested_eq(const types_StringStringInt32DictDict *a,
                      const types_StringStringInt32DictDict *b) {
        if (a->n != b->n)
                return false;
        for (size_t i = 0; i < a->n; i++)
                if (!str_eq(a->items[i].key, b->items[i].key) ||
                    !string_int32_dict_eq(&a->items[i].value, &b->items[i].value))
                        return false;
        return true;
}

/* Two descriptors refer to the same file (the received one is a new descriptor number for it). */
static bool same_file(int a, int b) {
        struct stat sa, sb;
        if (a < 0 || b < 0 || fstat(a, &sa) < 0 || fstat(b, &sb) < 0)
                return false;
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* ---- signals: each slot keeps a copy of the last emission (arguments are only lent to it) ---- */

typedef struct seen {
        int variant_count, arrays_count, dicts_count, structs_count, enums_count, fds_count;
        dbidl_variant *variant;
        int32_t *ai;
        size_t n_ai;
        char **as;
        types_DoubleArrayArray aad;
        types_Uint32StringArrayDict lists;
        types_ObjpathVardictDict objects;
        types_StringStringInt32DictDict nested;
        types_Header header;
        types_StructsEchoed_Anon anon;
        types_StructsEchoed_Items_ItemArray items;
        types_Color color;
        types_Level level;
        types_Mode mode;
        types_Caps caps;
        int handle;
        types_FileRef file;
        bool copy_failed;
} seen;

static void seen_init(seen *s) {
        memset(s, 0, sizeof(*s));
        types_DoubleArrayArray_init(&s->aad);
        types_Uint32StringArrayDict_init(&s->lists);
        types_ObjpathVardictDict_init(&s->objects);
        types_StringStringInt32DictDict_init(&s->nested);
        types_Header_init(&s->header);
        types_StructsEchoed_Anon_init(&s->anon);
        types_StructsEchoed_Items_ItemArray_init(&s->items);
        s->handle = -1;
        types_FileRef_init(&s->file);
}

static void seen_clear(seen *s) {
        s->variant = dbidl_variant_unref(s->variant);
        free(s->ai);
        s->ai = NULL;
        s->as = dbidl_strv_free(s->as);
        types_DoubleArrayArray_clear(&s->aad);
        types_Uint32StringArrayDict_clear(&s->lists);
        types_ObjpathVardictDict_clear(&s->objects);
        types_StringStringInt32DictDict_clear(&s->nested);
        types_Header_clear(&s->header);
        types_StructsEchoed_Anon_clear(&s->anon);
        types_StructsEchoed_Items_ItemArray_clear(&s->items);
        dbidl_fd_close(s->handle);
        s->handle = -1;
        types_FileRef_clear(&s->file);
}

static void on_variant_echoed(types_proxy *proxy, dbidl_variant *v, void *userdata) {
        seen *s = userdata;
        (void) proxy;
        dbidl_variant_unref(s->variant);
        s->variant = dbidl_variant_ref(v);
        s->variant_count++;
}

static void on_arrays_echoed(types_proxy *proxy, const int32_t *ai, size_t n_ai, char *const *as,
                             const types_DoubleArrayArray *aad, void *userdata) {
        seen *s = userdata;
        (void) proxy;
        free(s->ai);
        s->ai = NULL;
        s->n_ai = n_ai;
        if (n_ai > 0) {
                s->ai = malloc(n_ai * sizeof(*ai));
                if (s->ai)
                        memcpy(s->ai, ai, n_ai * sizeof(*ai));
                else
                        s->copy_failed = true;
        }
        dbidl_strv_free(s->as);
        s->as = as ? dbidl_strv_copy(as) : NULL;
        types_DoubleArrayArray_clear(&s->aad);
        if (types_DoubleArrayArray_copy(&s->aad, aad) < 0)
                s->copy_failed = true;
        s->arrays_count++;
}

static void on_dicts_echoed(types_proxy *proxy, const types_Uint32StringArrayDict *lists,
                            const types_ObjpathVardictDict *objects,
                            const types_StringStringInt32DictDict *nested, void *userdata) {
        seen *s = userdata;
        (void) proxy;
        types_Uint32StringArrayDict_clear(&s->lists);
        types_ObjpathVardictDict_clear(&s->objects);
        types_StringStringInt32DictDict_clear(&s->nested);
        if (types_Uint32StringArrayDict_copy(&s->lists, lists) < 0 ||
            types_ObjpathVardictDict_copy(&s->objects, objects) < 0 ||
            types_StringStringInt32DictDict_copy(&s->nested, nested) < 0)
                s->copy_failed = true;
        s->dicts_count++;
}

static void on_structs_echoed(types_proxy *proxy, const types_Header *header, const types_StructsEchoed_Anon *anon,
                              const types_StructsEchoed_Items_ItemArray *items, void *userdata) {
        seen *s = userdata;
        (void) proxy;
        types_Header_clear(&s->header);
        types_StructsEchoed_Anon_clear(&s->anon);
        types_StructsEchoed_Items_ItemArray_clear(&s->items);
        if (types_Header_copy(&s->header, header) < 0 || types_StructsEchoed_Anon_copy(&s->anon, anon) < 0 ||
            types_StructsEchoed_Items_ItemArray_copy(&s->items, items) < 0)
                s->copy_failed = true;
        s->structs_count++;
}

static void on_enums_echoed(types_proxy *proxy, types_Color color, types_Level level, types_Mode mode, types_Caps caps,
                            void *userdata) {
        seen *s = userdata;
        (void) proxy;
        s->color = color;
        s->level = level;
        s->mode = mode;
        s->caps = caps;
        s->enums_count++;
}

static void on_fds_echoed(types_proxy *proxy, int handle, const types_FileRef *file, void *userdata) {
        seen *s = userdata;
        (void) proxy;
        dbidl_fd_close(s->handle);
        s->handle = dbidl_fd_dup(handle); /* lent: keep a duplicate */
        types_FileRef_clear(&s->file);
        if (s->handle < 0 || types_FileRef_copy(&s->file, file) < 0)
                s->copy_failed = true;
        s->fds_count++;
}

/* ---- the round trips ---- */

static void echo_basics(types_proxy *p, const char *what, uint8_t y, bool b, int16_t n, uint16_t q, int32_t i,
                        uint32_t u, int64_t x, uint64_t t, double d, const char *s, const char *o, const char *g) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        uint8_t ry = 0;
        bool rb = false;
        int16_t rn = 0;
        uint16_t rq = 0;
        int32_t ri = 0;
        uint32_t ru = 0;
        int64_t rx = 0;
        uint64_t rt = 0;
        double rd = 0;
        char *rs = NULL, *ro = NULL, *rg = NULL;

        printf("EchoBasics: %s\n", what);
        int r = types_call_echo_basics(p, y, b, n, q, i, u, x, t, d, s, o, g, &ry, &rb, &rn, &rq, &ri, &ru, &rx, &rt, &rd,
                                  &rs, &ro, &rg, 0, &error);
        if (call_ok(r, &error, "EchoBasics")) {
                check(ry == y, "byte %u", ry);
                check(rb == b, "bool %s", rb ? "true" : "false");
                check(rn == n, "int16 %d", rn);
                check(rq == q, "uint16 %u", rq);
                check(ri == i, "int32 %" PRIi32, ri);
                check(ru == u, "uint32 %" PRIu32, ru);
                check(rx == x, "int64 %" PRIi64, rx);
                check(rt == t, "uint64 %" PRIu64, rt);
                check(double_eq(rd, d), "double %g%s", rd, isnan(d) ? " (isnan)" : "");
                check(rs && strcmp(rs, s) == 0, "string \"%s\"", rs ? rs : "(null)");
                check(ro && strcmp(ro, o) == 0, "objpath %s", ro ? ro : "(null)");
                check(rg && strcmp(rg, g) == 0, "signature \"%s\"", rg ? rg : "(null)");
        }
        free(rs);
        free(ro);
        free(rg);
}

static void test_basics(types_proxy *p) {
        echo_basics(p, "maxima, NaN, empty strings", UINT8_MAX, true, INT16_MAX, UINT16_MAX, INT32_MAX, UINT32_MAX,
                    INT64_MAX, UINT64_MAX, NAN, "", "/", "");
        echo_basics(p, "minima, -0.0", 0, false, INT16_MIN, 0, INT32_MIN, 0, INT64_MIN, 0, -0.0, "x", "/a", "i");
        echo_basics(p, "UTF-8, a long path, a container signature", 42, true, -1, 1, -42, 42, -1, 1, 1e300,
                    "h\xc3\xa9llo \xe2\x9c\x93", "/org/dbidl/Types1/x_y", "a{sv}(iab)");
        echo_basics(p, "infinity", 1, false, 0, 0, 0, 0, 0, 0, -INFINITY, "\t\n", "/_", "v");
}

static void test_variants(types_proxy *p, sd_bus *bus, seen *s, int tmpfd) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        dbidl_variant *v[16] = { NULL };
        dbidl_variant *parts[3] = { NULL };
        dbidl_dict *dict = NULL, *empty = NULL;
        char *strv[] = { (char *) "x", (char *) "", NULL };
        size_t n = 0;
        int sent = s->variant_count;

        /* construction failures show up as NULL variants, which the echo then refuses */
        (void) dbidl_variant_new_int64(INT64_MIN, &v[n++]);
        (void) dbidl_variant_new_uint64(UINT64_MAX, &v[n++]);
        (void) dbidl_variant_new_double(NAN, &v[n++]);
        (void) dbidl_variant_new_string("", &v[n++]);
        (void) dbidl_variant_new_objpath("/", &v[n++]);
        (void) dbidl_variant_new_signature("", &v[n++]);
        (void) dbidl_variant_new_strv(NULL, &v[n++]);
        (void) dbidl_variant_new_array("(ii)", NULL, 0, &v[n++]);
        (void) dbidl_variant_new_fd(tmpfd, &v[n++]);
        (void) dbidl_variant_new_int32(5, &parts[0]);
        (void) dbidl_variant_new_variant(parts[0], &parts[1]);
        (void) dbidl_variant_new_variant(parts[1], &v[n++]);
        parts[0] = dbidl_variant_unref(parts[0]);
        parts[1] = dbidl_variant_unref(parts[1]);
        (void) dbidl_variant_new_int32(1, &parts[0]);
        (void) dbidl_variant_new_string("two", &parts[1]);
        (void) dbidl_variant_new_fixed_array('d', NULL, 0, &parts[2]);
        (void) dbidl_variant_new_struct(parts, 3, &v[n++]);
        (void) dbidl_dict_new(&dict);
        (void) dbidl_dict_new(&empty);
        (void) dbidl_dict_set_int32(dict, "a", 1);
        (void) dbidl_dict_set_dict(dict, "inner", empty);
        (void) dbidl_dict_set_strv(dict, "list", strv);
        (void) dbidl_variant_new_dict(dict, &v[n++]);

        for (size_t i = 0; i < n; i++) {
                dbidl_variant *out = NULL;
                char *text = NULL;
                (void) dbidl_variant_to_string(v[i], &text);
                printf("EchoVariant: %s %s\n", v[i] ? dbidl_variant_get_signature(v[i]) : "(none)",
                       text ? text : "");
                free(text);
                int r = types_call_echo_variant(p, v[i], &out, 0, &error);
                if (call_ok(r, &error, "EchoVariant")) {
                        sent++;
                        if (dbidl_variant_get_type(v[i]) == 'h') {
                                int fd = -1;
                                (void) dbidl_variant_get_fd(out, &fd);
                                check(same_file(fd, tmpfd), "the fd inside the variant refers to the sent file");
                        } else
                                check(dbidl_variant_equal(out, v[i]), "the same %s came back",
                                      dbidl_variant_get_signature(v[i]));
                }
                dbidl_variant_unref(out);
        }
        int r = wait_count(bus, &s->variant_count, sent);
        check(r == 0 && s->variant_count == sent, "signal VariantEchoed arrived %d times", s->variant_count);
        check(r == 0 && dbidl_variant_equal(s->variant, v[n - 1]), "VariantEchoed carries the last variant sent");

        for (size_t i = 0; i < 3; i++)
                dbidl_variant_unref(parts[i]);
        for (size_t i = 0; i < n; i++)
                dbidl_variant_unref(v[i]);
        dbidl_dict_unref(dict);
        dbidl_dict_unref(empty);
}

static void echo_arrays(types_proxy *p, sd_bus *bus, seen *s, const char *what, const int32_t *ai, size_t n_ai,
                        const uint8_t *ay, size_t n_ay, char *const *as, const bool *ab, size_t n_ab,
                        const types_DoubleArrayArray *aad) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int32_t *rai = NULL;
        uint8_t *ray = NULL;
        char **ras = NULL;
        bool *rab = NULL;
        size_t n_rai = 99, n_ray = 99, n_rab = 99;
        types_DoubleArrayArray raad;
        int expected = s->arrays_count + 1;

        types_DoubleArrayArray_init(&raad);
        printf("EchoArrays: %s\n", what);
        int r = types_call_echo_arrays(p, ai, n_ai, ay, n_ay, as, ab, n_ab, aad, &rai, &n_rai, &ray, &n_ray, &ras, &rab,
                                  &n_rab, &raad, 0, &error);
        if (call_ok(r, &error, "EchoArrays")) {
                check(n_rai == n_ai && (n_ai == 0 || memcmp(rai, ai, n_ai * sizeof(*ai)) == 0), "int32[] of %zu",
                      n_rai);
                check(n_ray == n_ay && (n_ay == 0 || memcmp(ray, ay, n_ay) == 0), "byte[] of %zu", n_ray);
                check(strv_eq(ras, as), "string[] of %zu", strv_len(ras));
                bool same = n_rab == n_ab;
                for (size_t i = 0; same && i < n_ab; i++)
                        same = rab[i] == ab[i];
                check(same, "bool[] of %zu", n_rab);
                check(double_array_array_eq(&raad, aad), "double[][] of %zu arrays", raad.n);

                r = wait_count(bus, &s->arrays_count, expected);
                check(r == 0 && !s->copy_failed && s->n_ai == n_ai &&
                              (n_ai == 0 || memcmp(s->ai, ai, n_ai * sizeof(*ai)) == 0) && strv_eq(s->as, as) &&
                              double_array_array_eq(&s->aad, aad),
                      "signal ArraysEchoed carries the same int32[], string[] and double[][]");
        }
        free(rai);
        free(ray);
        dbidl_strv_free(ras);
        free(rab);
        types_DoubleArrayArray_clear(&raad);
}

static void test_arrays(types_proxy *p, sd_bus *bus, seen *s) {
        const int32_t ai[] = { INT32_MIN, -1, 0, 1, INT32_MAX };
        const uint8_t ay[] = { 0, 1, 0x7f, 0x80, 0xff, 0 };
        char *as[] = { (char *) "", (char *) "two words", (char *) "\xc3\xbc" "n" "\xc3\xaf" "c" "\xc3\xb6" "de", NULL };
        char *as_empty_strings[] = { (char *) "", (char *) "", NULL };
        const bool ab[] = { true, false, true, true };
        double row0[] = { 1.5, NAN, -0.0 };
        double row2[] = { INFINITY };
        types_DoubleArray rows[] = { { row0, 3 }, { NULL, 0 }, { row2, 1 } };
        types_DoubleArray empty_rows[] = { { NULL, 0 }, { NULL, 0 } };
        types_DoubleArrayArray aad = { rows, 3 };
        types_DoubleArrayArray aad_of_empty = { empty_rows, 2 };
        types_DoubleArrayArray aad_empty = { NULL, 0 };

        echo_arrays(p, bus, s, "all empty", NULL, 0, NULL, 0, NULL, NULL, 0, &aad_empty);
        echo_arrays(p, bus, s, "empty arrays inside double[][], empty strings in string[]", NULL, 0, NULL, 0,
                    as_empty_strings, NULL, 0, &aad_of_empty);
        echo_arrays(p, bus, s, "edge values", ai, 5, ay, 6, as, ab, 4, &aad);
}

static void echo_dicts(types_proxy *p, sd_bus *bus, seen *s, const char *what,
                       const types_Uint32StringArrayDict *lists, const types_ObjpathVardictDict *objects,
                       dbidl_dict *options, const types_StringStringInt32DictDict *nested) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        types_Uint32StringArrayDict rlists;
        types_ObjpathVardictDict robjects;
        dbidl_dict *roptions = NULL;
        types_StringStringInt32DictDict rnested;
        int expected = s->dicts_count + 1;

        types_Uint32StringArrayDict_init(&rlists);
        types_ObjpathVardictDict_init(&robjects);
        types_StringStringInt32DictDict_init(&rnested);
        printf("EchoDicts: %s\n", what);
        int r = types_call_echo_dicts(p, lists, objects, options, nested, &rlists, &robjects, &roptions, &rnested, 0, &error);
        if (call_ok(r, &error, "EchoDicts")) {
                check(lists_eq(&rlists, lists), "dict<uint32, string[]> of %zu", rlists.n);
                check(objects_eq(&robjects, objects), "dict<objpath, dict<string, variant>> of %zu", robjects.n);
                check(dict_eq(roptions, options), "dict<string, variant> of %zu", dbidl_dict_size(roptions));
                check(nested_eq(&rnested, nested), "dict<string, dict<string, int32>> of %zu", rnested.n);

                r = wait_count(bus, &s->dicts_count, expected);
                check(r == 0 && !s->copy_failed && lists_eq(&s->lists, lists) && objects_eq(&s->objects, objects) &&
                              nested_eq(&s->nested, nested),
                      "signal DictsEchoed carries the same three dicts");
        }
        types_Uint32StringArrayDict_clear(&rlists);
        types_ObjpathVardictDict_clear(&robjects);
        dbidl_dict_unref(roptions);
        types_StringStringInt32DictDict_clear(&rnested);
}

static void test_dicts(types_proxy *p, sd_bus *bus, seen *s) {
        char *xy[] = { (char *) "x", (char *) "y", NULL };
        char *one_empty[] = { (char *) "", NULL };
        types_Uint32StringArrayDictEntry list_items[] = { { 7, xy }, { 0, NULL }, { UINT32_MAX, one_empty } };
        types_Uint32StringArrayDict lists = { list_items, 3 };
        dbidl_dict *a = NULL, *empty = NULL, *options = NULL;
        types_StringInt32DictEntry inner_items[] = { { (char *) "a", 1 }, { (char *) "min", INT32_MIN } };
        types_StringStringInt32DictDictEntry nested_items[] = {
                { (char *) "outer", { inner_items, 2 } },
                { (char *) "empty", { NULL, 0 } },
        };
        types_StringStringInt32DictDict nested = { nested_items, 2 };
        types_StringStringInt32DictDict nested_of_empty = { nested_items + 1, 1 };

        (void) dbidl_dict_new(&a);
        (void) dbidl_dict_new(&empty);
        (void) dbidl_dict_new(&options);
        (void) dbidl_dict_set_int32(a, "k", 1);
        (void) dbidl_dict_set_dict(a, "empty", empty);
        (void) dbidl_dict_set_uint64(a, "max", UINT64_MAX);
        (void) dbidl_dict_set_string(options, "s", "");
        (void) dbidl_dict_set_double(options, "nan", NAN);
        (void) dbidl_dict_set_strv(options, "strv", xy);
        (void) dbidl_dict_set_objpath(options, "path", "/");
        types_ObjpathVardictDictEntry object_items[] = { { (char *) "/a", a }, { (char *) "/b", empty },
                                                            { (char *) "/c", NULL } };
        types_ObjpathVardictDict objects = { object_items, 3 };
        types_ObjpathVardictDict objects_of_empty = { object_items + 1, 2 };
        types_Uint32StringArrayDict lists_empty = { NULL, 0 };
        types_ObjpathVardictDict objects_empty = { NULL, 0 };
        types_StringStringInt32DictDict nested_empty = { NULL, 0 };

        echo_dicts(p, bus, s, "all empty", &lists_empty, &objects_empty, NULL, &nested_empty);
        echo_dicts(p, bus, s, "nested empty dicts", &lists_empty, &objects_of_empty, empty, &nested_of_empty);
        echo_dicts(p, bus, s, "full", &lists, &objects, options, &nested);

        dbidl_dict_unref(a);
        dbidl_dict_unref(empty);
        dbidl_dict_unref(options);
}

/* The inputs of one EchoStructs call, and what the async form compares its outputs with. */
typedef struct structs_in {
        const types_Header *header;
        const types_Record *record;
        const types_EchoStructs_Anon *anon;
        const types_EchoStructs_Items_ItemArray *items;
        const types_RecordArray *records;
} structs_in;

static bool structs_out_eq(const structs_in *in, const types_Header *header, const types_Record *record,
                           const types_EchoStructs_OutAnon *anon, const types_EchoStructs_OutItems_ItemArray *items,
                           const types_RecordArray *records) {
        return header_eq(header, in->header) && record_eq(record, in->record) && ANON_EQ(anon, in->anon) &&
               items_out_eq(in->items, items) && record_array_eq(records, in->records);
}

static void echo_structs(types_proxy *p, sd_bus *bus, seen *s, const char *what, const structs_in *in) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        types_Header rheader;
        types_Record rrecord;
        types_EchoStructs_OutAnon ranon;
        types_EchoStructs_OutItems_ItemArray ritems;
        types_RecordArray rrecords;
        int expected = s->structs_count + 1;

        types_Header_init(&rheader);
        types_Record_init(&rrecord);
        types_EchoStructs_OutAnon_init(&ranon);
        types_EchoStructs_OutItems_ItemArray_init(&ritems);
        types_RecordArray_init(&rrecords);
        printf("EchoStructs: %s\n", what);
        int r = types_call_echo_structs(p, in->header, in->record, in->anon, in->items, in->records, &rheader, &rrecord,
                                   &ranon, &ritems, &rrecords, 0, &error);
        if (call_ok(r, &error, "EchoStructs")) {
                check(header_eq(&rheader, in->header), "file-level struct Header (id %" PRIu64 ")", rheader.id);
                check(record_eq(&rrecord, in->record), "interface-level struct Record (color %s, %zu tags)",
                      types_Color_to_string(rrecord.color), strv_len(rrecord.tags));
                check(ANON_EQ(&ranon, in->anon), "anonymous (int32, (string, objpath)) = (%" PRIi32 ", (\"%s\", %s))",
                      ranon.m0, ranon.m1.m0 ? ranon.m1.m0 : "", ranon.m1.m1 ? ranon.m1.m1 : "");
                check(items_out_eq(in->items, &ritems), "(int32, string[])[] of %zu", ritems.n);
                check(record_array_eq(&rrecords, in->records), "Record[] of %zu", rrecords.n);
                check(structs_out_eq(in, &rheader, &rrecord, &ranon, &ritems, &rrecords), "all five outputs");

                r = wait_count(bus, &s->structs_count, expected);
                check(r == 0 && !s->copy_failed && header_eq(&s->header, in->header) && ANON_EQ(&s->anon, in->anon) &&
                              items_signal_eq(in->items, &s->items),
                      "signal StructsEchoed carries the same Header, anonymous struct and struct array");
        }
        types_Header_clear(&rheader);
        types_Record_clear(&rrecord);
        types_EchoStructs_OutAnon_clear(&ranon);
        types_EchoStructs_OutItems_ItemArray_clear(&ritems);
        types_RecordArray_clear(&rrecords);
}

typedef struct structs_async {
        const structs_in *in;
        bool done;
        bool same;
        char error[256];
} structs_async;

static void on_echo_structs_done(types_proxy *proxy, const sd_bus_error *error, const types_Header *out_header,
                                 const types_Record *out_record, const types_EchoStructs_OutAnon *out_anon,
                                 const types_EchoStructs_OutItems_ItemArray *out_items,
                                 const types_RecordArray *out_records, void *userdata) {
        structs_async *a = userdata;
        (void) proxy;
        a->done = true;
        if (error) {
                snprintf(a->error, sizeof a->error, "%s: %s", error->name, error->message ? error->message : "");
                return;
        }
        /* the outputs are lent for the duration of the callback: compare them here */
        a->same = structs_out_eq(a->in, out_header, out_record, out_anon, out_items, out_records);
}

static void test_structs(types_proxy *p, sd_bus *bus, seen *s) {
        char *tags[] = { (char *) "red", (char *) "", NULL };
        types_StringInt32DictEntry scores[] = { { (char *) "min", INT32_MIN }, { (char *) "max", INT32_MAX } };
        double row0[] = { 1.5, NAN };
        types_DoubleArray rows[] = { { row0, 2 }, { NULL, 0 } };
        types_Record record = {
                .header = { UINT64_MAX, (char *) "label", (char *) "/org/x" },
                .color = TYPES_COLOR_BLUE,
                .where = { -1, { (char *) "where", (char *) "/w" } },
                .tags = tags,
                .scores = { scores, 2 },
                .matrix = { rows, 2 },
        };
        types_Record empty_record = {
                .header = { 0, (char *) "", (char *) "/" },
                .color = TYPES_COLOR_RED,
                .where = { 0, { (char *) "", (char *) "/" } },
        };
        types_Record record_items[] = { record, empty_record };
        types_RecordArray records = { record_items, 2 };
        types_RecordArray no_records = { NULL, 0 };
        types_Header header = { 0, (char *) "", (char *) "/" };
        types_Header big_header = { UINT64_MAX, (char *) "h\xc3\xa9", (char *) "/a/b" };
        types_EchoStructs_Anon anon = { INT32_MIN, { (char *) "", (char *) "/" } };
        types_EchoStructs_Anon big_anon = { INT32_MAX, { (char *) "s", (char *) "/o" } };
        types_EchoStructs_Items_Item item_values[] = { { 1, tags }, { -2, NULL } };
        types_EchoStructs_Items_ItemArray items = { item_values, 2 };
        types_EchoStructs_Items_ItemArray no_items = { NULL, 0 };

        structs_in empty_in = { &header, &empty_record, &anon, &no_items, &no_records };
        structs_in full_in = { &big_header, &record, &big_anon, &items, &records };
        echo_structs(p, bus, s, "empty struct arrays, empty strings", &empty_in);
        echo_structs(p, bus, s, "nested, full", &full_in);

        /* the async form of the same call */
        structs_async a = { .in = &full_in };
        printf("EchoStructs async: nested, full\n");
        int r = types_async_echo_structs(p, full_in.header, full_in.record, full_in.anon, full_in.items,
                                         full_in.records, 0, on_echo_structs_done, &a, NULL);
        check(r == 0, "EchoStructs async sent: %s", r < 0 ? strerror(-r) : "yes");
        for (int i = 0; i < 500 && !a.done; i++) {
                r = sd_bus_process(bus, NULL);
                if (r < 0)
                        break;
                if (r == 0)
                        (void) sd_bus_wait(bus, 10000);
        }
        check(a.done && !a.error[0] && a.same, "EchoStructs async: the callback got the same five values%s%s",
              a.error[0] ? ": " : "", a.error);
}

static void echo_enums(types_proxy *p, sd_bus *bus, seen *s, types_Color color, types_Level level, types_Mode mode,
                       types_Caps caps) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        types_Color rcolor = 0;
        types_Level rlevel = 0;
        types_Mode rmode = 0;
        types_Caps rcaps = 0;
        int expected = s->enums_count + 1;

        printf("EchoEnums(%s, %s, %s, 0x%08" PRIx32 ")\n", types_Color_to_string(color), types_Level_to_string(level),
               types_Mode_to_string(mode), caps);
        int r = types_call_echo_enums(p, color, level, mode, caps, &rcolor, &rlevel, &rmode, &rcaps, 0, &error);
        if (call_ok(r, &error, "EchoEnums")) {
                check(rcolor == color, "byte enum Color %s", types_Color_to_string(rcolor));
                check(rlevel == level, "int16 enum Level %s (%d)", types_Level_to_string(rlevel), (int) rlevel);
                check(rmode == mode, "uint32 enum Mode %s", types_Mode_to_string(rmode));
                check(rcaps == caps, "flags Caps 0x%08" PRIx32 "%s", rcaps,
                      caps & ~(uint32_t) (TYPES_CAPS_READ | TYPES_CAPS_WRITE | TYPES_CAPS_EXEC) ?
                              " (undeclared bits kept)" : "");
                r = wait_count(bus, &s->enums_count, expected);
                check(r == 0 && s->color == color && s->level == level && s->mode == mode && s->caps == caps,
                      "signal EnumsEchoed carries the same values");
        }
}

/* A value outside an enum's declared set is refused by the service's skeleton, naming the argument. */
static void echo_bad_enum(types_proxy *p, const char *argument, types_Color color, types_Level level,
                          types_Mode mode) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        char quoted[64];

        snprintf(quoted, sizeof quoted, "'%s'", argument);
        int r = types_call_echo_enums(p, color, level, mode, 0, NULL, NULL, NULL, NULL, 0, &error);
        printf("EchoEnums with an undeclared %s: %s: %s\n", argument, error.name ? error.name : "(no error)",
               error.message ? error.message : "");
        check(r < 0 && sd_bus_error_has_name(&error, SD_BUS_ERROR_INVALID_ARGS) && error.message &&
                      strstr(error.message, quoted),
              "InvalidArgs naming %s", quoted);
        sd_bus_error_free(&error);
}

static void test_enums(types_proxy *p, sd_bus *bus, seen *s) {
        echo_enums(p, bus, s, TYPES_COLOR_RED, TYPES_LEVEL_LOW, TYPES_MODE_OFF, 0);
        echo_enums(p, bus, s, TYPES_COLOR_GREEN, TYPES_LEVEL_NORMAL, TYPES_MODE_ON, TYPES_CAPS_READ | TYPES_CAPS_WRITE);
        echo_enums(p, bus, s, TYPES_COLOR_BLUE, TYPES_LEVEL_CRITICAL, TYPES_MODE_AUTO, UINT32_MAX);
        echo_enums(p, bus, s, TYPES_COLOR_RED, TYPES_LEVEL_HIGH, TYPES_MODE_AUTO, 0x80000000u | TYPES_CAPS_EXEC);
        echo_bad_enum(p, "color", (types_Color) 9, TYPES_LEVEL_LOW, TYPES_MODE_OFF);
        echo_bad_enum(p, "level", TYPES_COLOR_RED, (types_Level) -2, TYPES_MODE_OFF);
        echo_bad_enum(p, "mode", TYPES_COLOR_RED, TYPES_LEVEL_LOW, (types_Mode) 3);
}

static void echo_fds(types_proxy *p, sd_bus *bus, seen *s, const char *what, int handle, const int *handles,
                     size_t n_handles, const types_StringFdDict *named, const types_FileRef *file) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int rhandle = -1;
        int *rhandles = NULL;
        size_t n_rhandles = 99;
        types_StringFdDict rnamed;
        types_FileRef rfile;
        int expected = s->fds_count + 1;

        types_StringFdDict_init(&rnamed);
        types_FileRef_init(&rfile);
        printf("EchoFds: %s\n", what);
        int r = types_call_echo_fds(p, handle, handles, n_handles, named, file, &rhandle, &rhandles, &n_rhandles, &rnamed,
                               &rfile, 0, &error);
        if (call_ok(r, &error, "EchoFds")) {
                check(rhandle >= 0 && rhandle != handle && same_file(rhandle, handle),
                      "fd %d came back as fd %d, the same file (st_dev, st_ino)", handle, rhandle);
                bool same = n_rhandles == n_handles;
                for (size_t i = 0; same && i < n_handles; i++)
                        same = same_file(rhandles[i], handles[i]);
                check(same, "fd[] of %zu, each the same file", n_rhandles);
                same = rnamed.n == named->n;
                for (size_t i = 0; same && i < named->n; i++)
                        same = str_eq(rnamed.items[i].key, named->items[i].key) &&
                               same_file(rnamed.items[i].value, named->items[i].value);
                check(same, "dict<string, fd> of %zu, each the same file", rnamed.n);
                check(str_eq(rfile.name, file->name) && same_file(rfile.handle, file->handle),
                      "struct FileRef { \"%s\", fd %d }, the same file", rfile.name ? rfile.name : "", rfile.handle);

                r = wait_count(bus, &s->fds_count, expected);
                check(r == 0 && !s->copy_failed && same_file(s->handle, handle) && str_eq(s->file.name, file->name) &&
                              same_file(s->file.handle, file->handle),
                      "signal FdsEchoed carries the same fd and FileRef");
        }
        dbidl_fd_close(rhandle);
        if (rhandles)
                dbidl_fd_array_free(rhandles, n_rhandles);
        types_StringFdDict_clear(&rnamed);
        types_FileRef_clear(&rfile);
}

static void test_fds(types_proxy *p, sd_bus *bus, seen *s, int tmpfd, int nullfd) {
        int handles[] = { tmpfd, nullfd, tmpfd };
        types_StringFdDictEntry named_items[] = { { (char *) "tmp", tmpfd }, { (char *) "null", nullfd } };
        types_StringFdDict named = { named_items, 2 };
        types_StringFdDict no_named = { NULL, 0 };
        types_FileRef file = { (char *) "types-client.tmp", tmpfd };
        types_FileRef empty_name = { (char *) "", nullfd };

        echo_fds(p, bus, s, "no fd arrays, an empty dict", tmpfd, NULL, 0, &no_named, &empty_name);
        echo_fds(p, bus, s, "a temporary file and /dev/null everywhere", tmpfd, handles, 3, &named, &file);

        /* the echoed descriptor reads the same open file */
        int rhandle = -1;
        char buf[32] = "";
        int r = types_call_echo_fds(p, tmpfd, NULL, 0, &no_named, &file, &rhandle, NULL, NULL, NULL, NULL, 0, NULL);
        if (r == 0) {
                ssize_t n = pread(rhandle, buf, sizeof buf - 1, 0);
                buf[n > 0 ? n : 0] = '\0';
        }
        check(r == 0 && strcmp(buf, "dbidl types\n") == 0, "the echoed fd reads the temporary file's contents");
        dbidl_fd_close(rhandle);
}

/*
 * The blocking calls with lent outputs (types_borrow_*): the same echoes, the
 * outputs pointing into the reply, valid until dbidl_reply_free() and freed
 * by it alone (AddressSanitizer and valgrind in the test suite see a leak or a
 * double free).
 */
static void test_lent(types_proxy *p, int tmpfd, int nullfd) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        dbidl_reply *reply = NULL;
        uint8_t ry = 0;
        bool rb = false;
        int16_t rn = 0;
        uint16_t rq = 0;
        int32_t ri = 0;
        uint32_t ru = 0;
        int64_t rx = 0;
        uint64_t rt = 0;
        double rd = 0;
        const char *rs = NULL, *ro = NULL, *rg = NULL;

        printf("lent outputs\n");
        int r = types_borrow_echo_basics(p, 7, true, -3, 3, -70000, 70000, INT64_MIN, UINT64_MAX, 2.5, "lent",
                                         "/org/dbidl/Lent", "a{sv}", &ry, &rb, &rn, &rq, &ri, &ru, &rx, &rt, &rd, &rs,
                                         &ro, &rg, 0, &error, &reply);
        if (call_ok(r, &error, "EchoBasics (lent)")) {
                check(reply != NULL, "a reply handle");
                check(ry == 7 && rb && rn == -3 && rq == 3 && ri == -70000 && ru == 70000 && rx == INT64_MIN &&
                              rt == UINT64_MAX && rd == 2.5,
                      "the fixed-size outputs");
                check(str_eq(rs, "lent") && str_eq(ro, "/org/dbidl/Lent") && str_eq(rg, "a{sv}"),
                      "the strings, lent: \"%s\" %s \"%s\"", rs ? rs : "(null)", ro ? ro : "(null)", rg ? rg : "(null)");
                check(rs && dbidl_reply_get_message(reply) != NULL, "the reply message is reachable");
        }
        reply = dbidl_reply_free(reply);

        const int32_t ai[] = { INT32_MIN, 0, INT32_MAX };
        char *as[] = { (char *) "a", (char *) "", (char *) "c", NULL };
        const bool ab[] = { false, true };
        double row[] = { 0.5, -1 };
        types_DoubleArray rows[] = { { row, 2 }, { NULL, 0 } };
        types_DoubleArrayArray aad = { rows, 2 };
        const int32_t *rai = NULL;
        const uint8_t *ray = NULL;
        char *const *ras = NULL;
        const bool *rab = NULL;
        const types_DoubleArrayArray *raad = NULL;
        size_t n_rai = 99, n_ray = 99, n_rab = 99;
        r = types_borrow_echo_arrays(p, ai, 3, (const uint8_t *) "xyz", 3, as, ab, 2, &aad, &rai, &n_rai, &ray, &n_ray,
                                     &ras, &rab, &n_rab, &raad, 0, &error, &reply);
        if (call_ok(r, &error, "EchoArrays (lent)")) {
                check(n_rai == 3 && memcmp(rai, ai, sizeof(ai)) == 0, "int32[] of %zu, lent", n_rai);
                check(n_ray == 3 && memcmp(ray, "xyz", 3) == 0, "byte[] of %zu, lent", n_ray);
                check(strv_eq(ras, as), "string[] of %zu, lent", ras ? strv_len(ras) : 0);
                check(n_rab == 2 && !rab[0] && rab[1], "bool[] of %zu, lent", n_rab);
                check(raad && double_array_array_eq(raad, &aad), "double[][] of %zu arrays, lent", raad ? raad->n : 0);
        }
        reply = dbidl_reply_free(reply);

        int handles[] = { nullfd, tmpfd };
        types_StringFdDictEntry named_items[] = { { (char *) "tmp", tmpfd } };
        types_StringFdDict named = { named_items, 1 };
        types_FileRef file = { (char *) "lent.tmp", tmpfd };
        int rhandle = -1;
        const int *rhandles = NULL;
        size_t n_rhandles = 99;
        const types_StringFdDict *rnamed = NULL;
        const types_FileRef *rfile = NULL;
        r = types_borrow_echo_fds(p, nullfd, handles, 2, &named, &file, &rhandle, &rhandles, &n_rhandles, &rnamed,
                                  &rfile, 0, &error, &reply);
        if (call_ok(r, &error, "EchoFds (lent)")) {
                check(rhandle >= 0 && same_file(rhandle, nullfd), "fd %d, lent, the same file", rhandle);
                check(n_rhandles == 2 && same_file(rhandles[0], nullfd) && same_file(rhandles[1], tmpfd),
                      "fd[] of %zu, lent", n_rhandles);
                check(rnamed && rnamed->n == 1 && str_eq(rnamed->items[0].key, "tmp") &&
                              same_file(rnamed->items[0].value, tmpfd),
                      "dict<string, fd>, lent");
                check(rfile && str_eq(rfile->name, "lent.tmp") && same_file(rfile->handle, tmpfd),
                      "struct FileRef, lent");
        }
        reply = dbidl_reply_free(reply);
        /* the lent descriptors were the reply's: closed with it */
        check(r < 0 || fcntl(rhandle, F_GETFD) < 0, "the lent fd %d is closed with the reply", rhandle);

        /* the reply handle is required; a failed call leaves it and the outputs untouched */
        r = types_borrow_echo_basics(p, 0, false, 0, 0, 0, 0, 0, 0, 0, "", "/", "", NULL, NULL, NULL, NULL, NULL, NULL,
                                     NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL);
        check(r == -EINVAL, "no ret_reply: -EINVAL (%d)", r);
        reply = (dbidl_reply *) &error;
        rs = "untouched";
        r = types_borrow_echo_basics(p, 0, false, 0, 0, 0, 0, 0, 0, 0, "", "not a path", "", NULL, NULL, NULL, NULL,
                                     NULL, NULL, NULL, NULL, NULL, &rs, NULL, NULL, 0, NULL, &reply);
        check(r < 0 && reply == (dbidl_reply *) &error && str_eq(rs, "untouched"),
              "an objpath sd-bus refuses: %d, the reply handle and outputs untouched", r);
        sd_bus_error_free(&error);
}

static void test_properties(types_proxy *p, int tmpfd, int nullfd) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        printf("Properties\n");
        /* defaults */
        types_Level level = (types_Level) 99;
        r = types_get_level(p, &level, &error);
        if (call_ok(r, &error, "get Level"))
                check(level == TYPES_LEVEL_NORMAL, "Level is NORMAL by default");
        int handle = -1;
        r = types_get_handle(p, &handle, &error);
        if (call_ok(r, &error, "get Handle"))
                check(same_file(handle, nullfd), "Handle is /dev/null by default");
        dbidl_fd_close(handle);

        /* a struct */
        char *tags[] = { (char *) "t", NULL };
        types_StringInt32DictEntry scores[] = { { (char *) "s", -7 } };
        double row0[] = { NAN, 2.5 };
        types_DoubleArray rows[] = { { NULL, 0 }, { row0, 2 } };
        types_Record record = {
                .header = { 12345, (char *) "current", (char *) "/current" },
                .color = TYPES_COLOR_GREEN,
                .where = { 3, { (char *) "x", (char *) "/y" } },
                .tags = tags,
                .scores = { scores, 1 },
                .matrix = { rows, 2 },
        };
        types_Record current;
        types_Record_init(&current);
        r = types_set_current(p, &record, &error);
        if (call_ok(r, &error, "set Current")) {
                r = types_get_current(p, &current, &error);
                if (call_ok(r, &error, "get Current"))
                        check(record_eq(&current, &record), "Current (a struct) reads back what was set");
        }
        types_Record_clear(&current);

        /* a dict */
        char *ab[] = { (char *) "a", (char *) "b", NULL };
        types_Uint32StringArrayDictEntry list_items[] = { { 1, ab }, { UINT32_MAX, NULL } };
        types_Uint32StringArrayDict lists_in = { list_items, 2 };
        types_Uint32StringArrayDict lists;
        types_Uint32StringArrayDict_init(&lists);
        r = types_set_lists(p, &lists_in, &error);
        if (call_ok(r, &error, "set Lists")) {
                r = types_get_lists(p, &lists, &error);
                if (call_ok(r, &error, "get Lists"))
                        check(lists_eq(&lists, &lists_in), "Lists (a dict) reads back what was set");
        }
        types_Uint32StringArrayDict_clear(&lists);

        /* an enum, and one outside its declared set */
        r = types_set_level(p, TYPES_LEVEL_LOW, &error);
        if (call_ok(r, &error, "set Level")) {
                r = types_get_level(p, &level, &error);
                if (call_ok(r, &error, "get Level"))
                        check(level == TYPES_LEVEL_LOW, "Level (an enum) reads back LOW");
        }
        r = types_set_level(p, (types_Level) 5, &error);
        printf("set Level 5: %s: %s\n", error.name ? error.name : "(no error)", error.message ? error.message : "");
        check(r < 0 && sd_bus_error_has_name(&error, SD_BUS_ERROR_INVALID_ARGS), "Level = 5 is refused with InvalidArgs");
        sd_bus_error_free(&error);
        r = types_get_level(p, &level, &error);
        if (call_ok(r, &error, "get Level"))
                check(level == TYPES_LEVEL_LOW, "Level is still LOW");

        /* flags with an undeclared bit */
        types_Caps caps = 0;
        r = types_set_caps(p, 0x40000000u | TYPES_CAPS_WRITE, &error);
        if (call_ok(r, &error, "set Caps")) {
                r = types_get_caps(p, &caps, &error);
                if (call_ok(r, &error, "get Caps"))
                        check(caps == (0x40000000u | TYPES_CAPS_WRITE), "Caps (flags) reads back 0x%08" PRIx32, caps);
        }

        /* an fd */
        r = types_set_handle(p, tmpfd, &error);
        if (call_ok(r, &error, "set Handle")) {
                handle = -1;
                r = types_get_handle(p, &handle, &error);
                if (call_ok(r, &error, "get Handle"))
                        check(same_file(handle, tmpfd) && handle != tmpfd,
                              "Handle (an fd) reads back the temporary file as fd %d", handle);
                dbidl_fd_close(handle);
        }

        /* leave the defaults for whoever comes next */
        (void) types_set_level(p, TYPES_LEVEL_NORMAL, NULL);
        (void) types_set_caps(p, TYPES_CAPS_READ, NULL);
        (void) types_set_handle(p, nullfd, NULL);
}

/* A temporary file with known contents, already unlinked: its fd is what travels. */
static int make_temp_file(void) {
        const char *dir = getenv("TMPDIR");
        char path[4096];
        snprintf(path, sizeof path, "%s/types-client.XXXXXX", dir && *dir ? dir : "/tmp");
        int fd = mkstemp(path);
        if (fd < 0)
                return -errno;
        (void) unlink(path);
        if (write(fd, "dbidl types\n", 12) != 12) {
                close(fd);
                return -EIO;
        }
        return fd;
}

int main(int argc, char **argv) {
        const char *destination = argc > 1 ? argv[1] : "org.dbidl.Types1";
        sd_bus *bus = NULL;
        types_proxy *proxy = NULL;
        sd_bus_slot *slots[6] = { NULL };
        seen s;
        int tmpfd = -1, nullfd = -1, r;

        setvbuf(stdout, NULL, _IOLBF, 0);
        seen_init(&s);
        tmpfd = make_temp_file();
        nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (tmpfd < 0 || nullfd < 0) {
                fprintf(stderr, "types-client: cannot open a temporary file or /dev/null\n");
                r = -EIO;
                goto out;
        }
        r = dbidl_bus_open_session(&bus);
        if (r < 0) {
                fprintf(stderr, "types-client: cannot connect to the session bus: %s\n", strerror(-r));
                goto out;
        }
        r = types_proxy_new(bus, destination, TYPES_PATH, &proxy);
        if (r < 0) {
                fprintf(stderr, "types-client: %s\n", strerror(-r));
                goto out;
        }
        r = types_connect_variant_echoed(proxy, on_variant_echoed, &s, &slots[0]);
        check(r >= 0, "connect VariantEchoed");
        r = types_connect_arrays_echoed(proxy, on_arrays_echoed, &s, &slots[1]);
        check(r >= 0, "connect ArraysEchoed");
        r = types_connect_dicts_echoed(proxy, on_dicts_echoed, &s, &slots[2]);
        check(r >= 0, "connect DictsEchoed");
        r = types_connect_structs_echoed(proxy, on_structs_echoed, &s, &slots[3]);
        check(r >= 0, "connect StructsEchoed");
        r = types_connect_enums_echoed(proxy, on_enums_echoed, &s, &slots[4]);
        check(r >= 0, "connect EnumsEchoed");
        r = types_connect_fds_echoed(proxy, on_fds_echoed, &s, &slots[5]);
        check(r >= 0, "connect FdsEchoed");

        test_basics(proxy);
        test_variants(proxy, bus, &s, tmpfd);
        test_arrays(proxy, bus, &s);
        test_dicts(proxy, bus, &s);
        test_structs(proxy, bus, &s);
        test_enums(proxy, bus, &s);
        test_fds(proxy, bus, &s, tmpfd, nullfd);
        test_lent(proxy, tmpfd, nullfd);
        test_properties(proxy, tmpfd, nullfd);
        r = 0;
out:
        for (size_t i = 0; i < 6; i++)
                sd_bus_slot_unref(slots[i]);
        types_proxy_unref(proxy);
        sd_bus_flush_close_unref(bus);
        seen_clear(&s);
        if (tmpfd >= 0)
                close(tmpfd);
        if (nullfd >= 0)
                close(nullfd);
        if (r < 0)
                return 1;
        printf("types-client: %s (%d checks, %d failure%s)\n", failures ? "FAILED" : "every type came back unchanged",
               checks, failures, failures == 1 ? "" : "s");
        return failures ? 1 : 0;
}
