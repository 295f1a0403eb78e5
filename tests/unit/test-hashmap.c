/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/unit/test-hashmap.c — Check tests for common/hashmap.h: put, get, remove, iterate, growth, collisions */

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hashmap.h"

/* ---- helpers ------------------------------------------------------------- */

/* Every key hashes alike: each operation walks one long run, the worst case of probing and backward shifts. */
static uint64_t hash_constant(const void *key) {
        (void) key;
        return 42;
}

static const hash_ops colliding_ops = { hash_constant, hash_string_equal };

/* Keys "k0" … "k<n-1>", malloc'd; free with keys_free(). */
static char **keys_new(size_t n) {
        char **k = calloc(n, sizeof(char *));
        ck_assert_ptr_nonnull(k);
        for (size_t i = 0; i < n; i++)
                ck_assert_int_ge(asprintf(&k[i], "k%zu", i), 0);
        return k;
}

static void keys_free(char **k, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(k[i]);
        free(k);
}

/* ---- tests --------------------------------------------------------------- */

START_TEST(test_empty) {
        hashmap h = HASHMAP_INIT(&string_hash_ops);
        void *v = (void *) 1;
        size_t i = 0;

        ck_assert_uint_eq(hashmap_size(&h), 0);
        ck_assert(!hashmap_get(&h, "a", &v));
        ck_assert_ptr_eq(v, (void *) 1); /* untouched */
        ck_assert(!hashmap_contains(&h, "a"));
        ck_assert(!hashmap_remove(&h, "a", NULL));
        ck_assert(!hashmap_update(&h, "a", NULL));
        ck_assert(!hashmap_iterate(&h, &i, NULL, NULL));
        hashmap_clear(&h);
        ck_assert_ptr_null(h.slots);
}
END_TEST

START_TEST(test_put_get) {
        hashmap h = HASHMAP_INIT(&string_hash_ops);
        char a[] = "alpha", a2[] = "alpha";
        void *v = NULL;

        ck_assert_int_eq(hashmap_put(&h, a, (void *) 1, NULL), 1);
        /* an equal key (another string of the same text) is there already: kept, its value given */
        ck_assert_int_eq(hashmap_put(&h, a2, (void *) 2, &v), 0);
        ck_assert_ptr_eq(v, (void *) 1);
        ck_assert_uint_eq(hashmap_size(&h), 1);
        ck_assert(hashmap_get(&h, "alpha", &v));
        ck_assert_ptr_eq(v, (void *) 1);
        /* NULL is a value like any other */
        ck_assert_int_eq(hashmap_put(&h, "beta", NULL, NULL), 1);
        v = (void *) 7;
        ck_assert(hashmap_get(&h, "beta", &v));
        ck_assert_ptr_null(v);
        ck_assert(hashmap_update(&h, "beta", (void *) 3));
        ck_assert(hashmap_get(&h, "beta", &v));
        ck_assert_ptr_eq(v, (void *) 3);
        ck_assert(!hashmap_contains(&h, "gamma"));
        hashmap_clear(&h);
}
END_TEST

/* n keys in, every one found with its value, half taken out, the rest still found: under both hash functions. */
static void check_many(const hash_ops *ops, size_t n) {
        hashmap h = HASHMAP_INIT(ops);
        char **k = keys_new(n);
        void *v;

        for (size_t i = 0; i < n; i++)
                ck_assert_int_eq(hashmap_put(&h, k[i], (void *) (uintptr_t) i, NULL), 1);
        ck_assert_uint_eq(hashmap_size(&h), n);
        ck_assert_uint_le(hashmap_size(&h), h.cap / 4 * 3);
        for (size_t i = 0; i < n; i++) {
                ck_assert(hashmap_get(&h, k[i], &v));
                ck_assert_uint_eq((uintptr_t) v, i);
        }
        /* the even ones out: a removal must not lose a key whose run went through the hole */
        for (size_t i = 0; i < n; i += 2) {
                ck_assert(hashmap_remove(&h, k[i], &v));
                ck_assert_uint_eq((uintptr_t) v, i);
                ck_assert(!hashmap_remove(&h, k[i], NULL));
        }
        ck_assert_uint_eq(hashmap_size(&h), n / 2);
        for (size_t i = 0; i < n; i++) {
                ck_assert_msg(hashmap_get(&h, k[i], &v) == (i % 2 == 1), "key %s", k[i]);
                if (i % 2)
                        ck_assert_uint_eq((uintptr_t) v, i);
        }
        /* and back in */
        for (size_t i = 0; i < n; i += 2)
                ck_assert_int_eq(hashmap_put(&h, k[i], (void *) (uintptr_t) (i + n), NULL), 1);
        for (size_t i = 0; i < n; i++) {
                ck_assert(hashmap_get(&h, k[i], &v));
                ck_assert_uint_eq((uintptr_t) v, i % 2 ? i : i + n);
        }
        hashmap_clear(&h);
        keys_free(k, n);
}

START_TEST(test_many) {
        check_many(&string_hash_ops, 10000);
}
END_TEST

START_TEST(test_collisions) {
        check_many(&colliding_ops, 300);
}
END_TEST

START_TEST(test_iterate) {
        hashmap h = HASHMAP_INIT(&string_hash_ops);
        char **k = keys_new(100);
        bool seen[100] = { false };
        const void *key;
        void *v;
        size_t n = 0;

        for (size_t i = 0; i < 100; i++)
                ck_assert_int_eq(hashmap_put(&h, k[i], (void *) (uintptr_t) i, NULL), 1);
        for (size_t i = 0; hashmap_iterate(&h, &i, &key, &v);) {
                ck_assert_ptr_eq(key, k[(uintptr_t) v]);
                ck_assert(!seen[(uintptr_t) v]);
                seen[(uintptr_t) v] = true;
                hashmap_iterate_set(&h, i, (void *) ((uintptr_t) v + 1000));
                n++;
        }
        ck_assert_uint_eq(n, 100);
        for (size_t i = 0; i < 100; i++) {
                ck_assert(hashmap_get(&h, k[i], &v));
                ck_assert_uint_eq((uintptr_t) v, i + 1000);
        }
        hashmap_clear(&h);
        keys_free(k, 100);
}
END_TEST

START_TEST(test_pointers) {
        hashmap h = HASHMAP_INIT(&pointer_hash_ops);
        int objects[64];
        void *v;

        for (size_t i = 0; i < 64; i++)
                ck_assert_int_eq(hashmap_put(&h, &objects[i], (void *) (uintptr_t) i, NULL), 1);
        for (size_t i = 0; i < 64; i++) {
                ck_assert(hashmap_get(&h, &objects[i], &v));
                ck_assert_uint_eq((uintptr_t) v, i);
        }
        /* pointers are compared as addresses: a string of the same text is another key */
        hashmap_clear(&h);
        char a[] = "x", b[] = "x";
        ck_assert_int_eq(hashmap_put(&h, a, NULL, NULL), 1);
        ck_assert_int_eq(hashmap_put(&h, b, NULL, NULL), 1);
        ck_assert_uint_eq(hashmap_size(&h), 2);
        hashmap_clear(&h);
}
END_TEST

START_TEST(test_reserve) {
        hashmap h = HASHMAP_INIT(&string_hash_ops);
        char **k = keys_new(1000);

        ck_assert_int_eq(hashmap_reserve(&h, 1000), 0);
        size_t cap = h.cap;
        ck_assert_uint_ge(cap / 4 * 3, 1000);
        for (size_t i = 0; i < 1000; i++)
                ck_assert_int_eq(hashmap_put(&h, k[i], NULL, NULL), 1);
        ck_assert_uint_eq(h.cap, cap); /* no growth after a reserve for as many */
        hashmap_clear(&h);
        keys_free(k, 1000);
}
END_TEST

START_TEST(test_siphash) {
        /* SipHash-1-3 is a function of the key: the same bytes, the same hash; and the process's key is not zero */
        static const uint64_t key[2] = { 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull };
        const uint64_t *k = hash_key();

        ck_assert(k[0] != 0 || k[1] != 0);
        ck_assert_uint_eq(hash_siphash13("abcdefghijk", 11, key), hash_siphash13("abcdefghijk", 11, key));
        ck_assert_uint_ne(hash_siphash13("abcdefghijk", 11, key), hash_siphash13("abcdefghijl", 11, key));
        ck_assert_uint_ne(hash_siphash13("", 0, key), hash_siphash13("\0", 1, key));
        ck_assert_uint_eq(hash_string("key"), hash_string("key"));
}
END_TEST

static Suite *hashmap_suite(void) {
        Suite *s = suite_create("hashmap");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_empty);
        tcase_add_test(tc, test_put_get);
        tcase_add_test(tc, test_many);
        tcase_add_test(tc, test_collisions);
        tcase_add_test(tc, test_iterate);
        tcase_add_test(tc, test_pointers);
        tcase_add_test(tc, test_reserve);
        tcase_add_test(tc, test_siphash);
        suite_add_tcase(s, tc);
        return s;
}

int main(void) {
        SRunner *sr = srunner_create(hashmap_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
