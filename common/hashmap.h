/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* common/hashmap.h — the project's one hash table: open addressing over keys the caller owns, keyed SipHash */
#pragma once

/*
 * Every lookup by name or by node in the project goes through this table: the
 * runtime's dictionaries (runtime/dict.c), the code generator's type registry
 * (codegen/types.c), the XML importer's name sets (idl/import-xml.c) and the
 * semantic pass's scopes (idl/sema.c).  One set is not a table of this
 * kind: codegen/ctype.c's C reserved words, fixed when the process starts and
 * never fed by a peer, where a constant hash is safe and a sixth of the cost
 * (its comment says why).  It is header-only (static inline), so
 * that libdbidl, which exports nothing but dbidl_* symbols, and the
 * compiler's libraries each carry their own copy without sharing a symbol.
 *
 * Why not uthash: its entries are intrusive (a 56-byte handle in each, so
 * one allocation per entry where our dictionaries keep entries in one array
 * in insertion order and index them), and it hashes with a fixed function
 * whose collisions a peer can compute; its answer to long chains is to stop
 * growing.  Keys here come from the bus (a{sv} keys of any peer, the XML of
 * any service dbidl imports), so they are hashed with SipHash-1-3 under a
 * key drawn once per process from getrandom(): nobody outside can make them
 * collide, and every operation stays O(1) expected, whatever the input.
 *
 * The table stores pointers: `key` (never NULL; the caller keeps what it
 * points to alive and unchanged while it is in the table) and `value` (any
 * pointer, NULL included, or an index cast through uintptr_t).  Linear
 * probing, a power-of-two capacity, at most 3/4 full, deletion by backward
 * shift (no tombstones).  A zeroed hashmap with `ops` set (HASHMAP_INIT) is
 * empty and allocates nothing until the first put.  Not thread-safe: one
 * thread at a time per table (the process-wide SipHash key is set up once,
 * thread-safely).
 */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

typedef struct hash_ops {
        uint64_t (*hash)(const void *key);
        bool (*equal)(const void *a, const void *b);
} hash_ops;

typedef struct hashmap_slot {
        const void *key; /* NULL: a free slot */
        void *value;
        uint64_t hash;
} hashmap_slot;

typedef struct hashmap {
        const hash_ops *ops;
        hashmap_slot *slots;
        size_t cap; /* 0, or a power of two */
        size_t n;
} hashmap;

#define HASHMAP_INIT(o) ((hashmap) { .ops = (o) })

/* ---- the hash functions ---- */

static inline uint64_t hash_rotl(uint64_t x, int b) {
        return (x << b) | (x >> (64 - b));
}

#define HASH_SIPROUND(v0, v1, v2, v3)                                                   \
        do {                                                                            \
                v0 += v1;                                                               \
                v1 = hash_rotl(v1, 13);                                                 \
                v1 ^= v0;                                                               \
                v0 = hash_rotl(v0, 32);                                                 \
                v2 += v3;                                                               \
                v3 = hash_rotl(v3, 16);                                                 \
                v3 ^= v2;                                                               \
                v0 += v3;                                                               \
                v3 = hash_rotl(v3, 21);                                                 \
                v3 ^= v0;                                                               \
                v2 += v1;                                                               \
                v1 = hash_rotl(v1, 17);                                                 \
                v1 ^= v2;                                                               \
                v2 = hash_rotl(v2, 32);                                                 \
        } while (0)

/* SipHash-1-3 (Aumasson and Bernstein; the variant Rust's and Python's hash tables use) of `len` bytes at `data`. */
static inline uint64_t hash_siphash13(const void *data, size_t len, const uint64_t key[2]) {
        const unsigned char *p = data;
        uint64_t v0 = key[0] ^ 0x736f6d6570736575ull, v1 = key[1] ^ 0x646f72616e646f6dull;
        uint64_t v2 = key[0] ^ 0x6c7967656e657261ull, v3 = key[1] ^ 0x7465646279746573ull;
        uint64_t b = (uint64_t) len << 56, m;
        size_t i;

        for (i = 0; i + 8 <= len; i += 8) {
                memcpy(&m, p + i, 8); /* little-endian machines; elsewhere a different, as good, hash */
                v3 ^= m;
                HASH_SIPROUND(v0, v1, v2, v3);
                v0 ^= m;
        }
        for (size_t k = 0; i + k < len; k++)
                b |= (uint64_t) p[i + k] << (8 * k);
        v3 ^= b;
        HASH_SIPROUND(v0, v1, v2, v3);
        v0 ^= b;
        v2 ^= 0xff;
        HASH_SIPROUND(v0, v1, v2, v3);
        HASH_SIPROUND(v0, v1, v2, v3);
        HASH_SIPROUND(v0, v1, v2, v3);
        return v0 ^ v1 ^ v2 ^ v3;
}

static uint64_t hash_key_storage[2];

static inline void hash_key_init(void) {
        uint64_t k[2];
        if (getrandom(k, sizeof k, GRND_NONBLOCK) != (ssize_t) sizeof k) {
                /* no entropy yet (early boot) or no getrandom(): the clock, the pid and where things are mapped */
                struct timespec ts;
                clock_gettime(CLOCK_MONOTONIC, &ts);
                k[0] = ((uint64_t) ts.tv_sec << 32) ^ (uint64_t) ts.tv_nsec ^ (uint64_t) (uintptr_t) &ts;
                k[1] = ((uint64_t) getpid() << 32) ^ (uint64_t) (uintptr_t) &hash_key_storage;
        }
        memcpy(hash_key_storage, k, sizeof k);
}

/* The process's SipHash key, drawn on first use. */
static inline const uint64_t *hash_key(void) {
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        (void) pthread_once(&once, hash_key_init);
        return hash_key_storage;
}

/* NUL-terminated strings, compared by content. */
static inline uint64_t hash_string(const void *key) {
        return hash_siphash13(key, strlen(key), hash_key());
}

static inline bool hash_string_equal(const void *a, const void *b) {
        return strcmp(a, b) == 0;
}

/* Pointers, compared by address (nobody outside chooses addresses: a keyed mix is enough). */
static inline uint64_t hash_pointer(const void *key) {
        uint64_t x = (uint64_t) (uintptr_t) key ^ hash_key()[0];
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
        return x ^ (x >> 31);
}

static inline bool hash_pointer_equal(const void *a, const void *b) {
        return a == b;
}

static const hash_ops string_hash_ops = { hash_string, hash_string_equal };
static const hash_ops pointer_hash_ops = { hash_pointer, hash_pointer_equal };

/* ---- the table ---- */

static inline void hashmap_init(hashmap *h, const hash_ops *ops) {
        *h = HASHMAP_INIT(ops);
}

/* Free the slots (not the keys or values) and leave the table empty, as hashmap_init() does. */
static inline void hashmap_clear(hashmap *h) {
        free(h->slots);
        *h = HASHMAP_INIT(h->ops);
}

static inline size_t hashmap_size(const hashmap *h) {
        return h->n;
}

/* The slot holding `key`, or the free slot where it would go (NULL for a table without slots). */
static inline hashmap_slot *hashmap_probe(const hashmap *h, const void *key, uint64_t hash) {
        if (h->cap == 0)
                return NULL;
        size_t mask = h->cap - 1;
        for (size_t i = (size_t) hash & mask;; i = (i + 1) & mask) {
                hashmap_slot *s = &h->slots[i];
                if (!s->key || (s->hash == hash && h->ops->equal(s->key, key)))
                        return s;
        }
}

/* Room for `n` entries in all without growing again: 0, or -ENOMEM (the table is unchanged then). */
static inline int hashmap_reserve(hashmap *h, size_t n) {
        size_t cap = h->cap ? h->cap : 8;
        while (n > cap / 4 * 3) {
                if (cap > SIZE_MAX / 2 / sizeof(hashmap_slot))
                        return -ENOMEM;
                cap *= 2;
        }
        if (cap == h->cap)
                return 0;
        hashmap_slot *slots = calloc(cap, sizeof(hashmap_slot));
        if (!slots)
                return -ENOMEM;
        for (size_t i = 0; i < h->cap; i++) {
                hashmap_slot *s = &h->slots[i];
                if (!s->key)
                        continue;
                size_t j = (size_t) s->hash & (cap - 1);
                while (slots[j].key)
                        j = (j + 1) & (cap - 1);
                slots[j] = *s;
        }
        free(h->slots);
        h->slots = slots;
        h->cap = cap;
        return 0;
}

/* The value under `key` into *ret_value (if not NULL): true, or false if it is not in the table. */
static inline bool hashmap_get(const hashmap *h, const void *key, void **ret_value) {
        hashmap_slot *s = hashmap_probe(h, key, h->cap ? h->ops->hash(key) : 0);
        if (!s || !s->key)
                return false;
        if (ret_value)
                *ret_value = s->value;
        return true;
}

static inline bool hashmap_contains(const hashmap *h, const void *key) {
        return hashmap_get(h, key, NULL);
}

/*
 * Add `key` with `value`: 1 if added, 0 if an equal key is there already (its
 * key and value are kept; *ret_value, if not NULL, gets its value), -ENOMEM.
 */
static inline int hashmap_put(hashmap *h, const void *key, void *value, void **ret_value) {
        uint64_t hash = h->ops->hash(key);
        hashmap_slot *s = hashmap_probe(h, key, hash);
        if (s && s->key) {
                if (ret_value)
                        *ret_value = s->value;
                return 0;
        }
        if (!s || h->n + 1 > h->cap / 4 * 3) {
                int r = hashmap_reserve(h, h->n + 1);
                if (r < 0)
                        return r;
                s = hashmap_probe(h, key, hash);
        }
        *s = (hashmap_slot) { .key = key, .value = value, .hash = hash };
        h->n++;
        return 1;
}

/* Set the value under a key that is in the table (hashmap_get() said so); false if it is not. */
static inline bool hashmap_update(hashmap *h, const void *key, void *value) {
        hashmap_slot *s = hashmap_probe(h, key, h->cap ? h->ops->hash(key) : 0);
        if (!s || !s->key)
                return false;
        s->value = value;
        return true;
}

/* Take `key` out: true (its value into *ret_value, if not NULL), or false if it was not there. */
static inline bool hashmap_remove(hashmap *h, const void *key, void **ret_value) {
        hashmap_slot *s = hashmap_probe(h, key, h->cap ? h->ops->hash(key) : 0);
        if (!s || !s->key)
                return false;
        if (ret_value)
                *ret_value = s->value;
        /* backward shift: pull up every entry of the run after the hole that may live there */
        size_t mask = h->cap - 1, i = (size_t) (s - h->slots);
        for (size_t j = (i + 1) & mask; h->slots[j].key; j = (j + 1) & mask) {
                size_t home = (size_t) h->slots[j].hash & mask;
                if (((j - home) & mask) >= ((j - i) & mask)) {
                        h->slots[i] = h->slots[j];
                        i = j;
                }
        }
        h->slots[i] = (hashmap_slot) { 0 };
        h->n--;
        return true;
}

/*
 * Iterate: start with *i = 0; each call gives the next entry (in no particular
 * order) and returns true, false after the last.  The table must not change
 * meanwhile, except through hashmap_iterate_set().
 */
static inline bool hashmap_iterate(const hashmap *h, size_t *i, const void **ret_key, void **ret_value) {
        for (; *i < h->cap; (*i)++) {
                const hashmap_slot *s = &h->slots[*i];
                if (s->key) {
                        if (ret_key)
                                *ret_key = s->key;
                        if (ret_value)
                                *ret_value = s->value;
                        (*i)++;
                        return true;
                }
        }
        return false;
}

/* During an iteration: set the value of the entry the last hashmap_iterate() gave. */
static inline void hashmap_iterate_set(hashmap *h, size_t i, void *value) {
        h->slots[i - 1].value = value;
}
