/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/blob/blob-service.c — blob-service: serves org.dbidl.BlobTest1 (blob.idl) for blob.sh and make bench */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "checksum.h"

#define BT_PATH "/org/dbidl/BlobTest1"
#define BT_NAME "org.dbidl.BlobTest1"

typedef struct service {
        sd_bus *bus;
        dbidl_blob *last;
} service;

/* The bytes of `b` mapped, and their checksum; a failure answers the call. */
static int map_blob(dbidl_blob *b, const void **ret_data, uint64_t *ret_sum, sd_bus_error *ret_error) {
        int r = dbidl_blob_map(b, ret_data);
        if (r < 0)
                return sd_bus_error_set_errnof(ret_error, -r, "cannot map the blob: %s", strerror(-r));
        *ret_sum = bt_checksum(*ret_data, dbidl_blob_get_size(b));
        return 0;
}

/* A new blob with the bytes of `b`. */
static int copy_blob(dbidl_blob *b, dbidl_blob **ret, uint64_t *ret_sum, sd_bus_error *ret_error) {
        const void *p;
        uint64_t sum;
        int r = map_blob(b, &p, &sum, ret_error);
        if (r < 0)
                return r;
        r = dbidl_blob_new_from_data(p, (size_t) dbidl_blob_get_size(b), ret);
        if (r < 0)
                return sd_bus_error_set_errnof(ret_error, -r, "cannot make a blob: %s", strerror(-r));
        if (ret_sum)
                *ret_sum = sum;
        return 0;
}

static int on_copy(sd_bus_message *call, void *userdata, dbidl_blob *data, dbidl_blob **ret_copy, uint64_t *ret_sum,
                   sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        return copy_blob(data, ret_copy, ret_sum, ret_error);
}

static int on_echo(sd_bus_message *call, void *userdata, dbidl_blob *data, dbidl_blob **ret_same,
                   sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        (void) ret_error;
        *ret_same = dbidl_blob_ref(data); /* the skeleton drops its reference after the reply */
        return 0;
}

static int on_digest(sd_bus_message *call, void *userdata, dbidl_blob *data, uint64_t *ret_size, uint64_t *ret_sum,
                     sd_bus_error *ret_error) {
        const void *p;
        (void) call;
        (void) userdata;
        *ret_size = dbidl_blob_get_size(data);
        return map_blob(data, &p, ret_sum, ret_error);
}

static int on_digest_bytes(sd_bus_message *call, void *userdata, const uint8_t *data, size_t n_data,
                           uint64_t *ret_size, uint64_t *ret_sum, sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        (void) ret_error;
        *ret_size = n_data;
        *ret_sum = bt_checksum(data, n_data);
        return 0;
}

static int on_size(sd_bus_message *call, void *userdata, dbidl_blob *data, uint64_t *ret_size,
                   sd_bus_error *ret_error) {
        const void *p;
        (void) call;
        (void) userdata;
        /* mapped, as a receiver would before reading: that is part of receiving a blob */
        int r = dbidl_blob_map(data, &p);
        if (r < 0)
                return sd_bus_error_set_errnof(ret_error, -r, "cannot map the blob: %s", strerror(-r));
        *ret_size = dbidl_blob_get_size(data);
        return 0;
}

static int on_size_bytes(sd_bus_message *call, void *userdata, const uint8_t *data, size_t n_data,
                         const uint8_t *more, size_t n_more, uint64_t *ret_size, sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        (void) data;
        (void) more;
        (void) ret_error;
        *ret_size = n_data + n_more;
        return 0;
}

static int on_copy_pages(sd_bus_message *call, void *userdata, const blob_PageArray *pages, blob_PageArray *ret_copies,
                         sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        blob_PageArray out;
        blob_PageArray_init(&out);
        if (pages->n > 0 && !(out.items = calloc(pages->n, sizeof *out.items)))
                return -ENOMEM;
        for (size_t i = 0; i < pages->n; i++) {
                blob_Page_init(&out.items[i]);
                out.n = i + 1;
                out.items[i].title = strdup(pages->items[i].title);
                int r = out.items[i].title ? copy_blob(pages->items[i].data, &out.items[i].data, NULL, ret_error)
                                           : -ENOMEM;
                if (r < 0) {
                        blob_PageArray_clear(&out);
                        return r;
                }
        }
        *ret_copies = out; /* freed by the skeleton after the reply */
        return 0;
}

static int on_copy_named(sd_bus_message *call, void *userdata, const blob_StringBlobDict *named,
                         blob_StringBlobDict *ret_copies, sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        blob_StringBlobDict out;
        blob_StringBlobDict_init(&out);
        if (named->n > 0 && !(out.items = calloc(named->n, sizeof *out.items)))
                return -ENOMEM;
        for (size_t i = 0; i < named->n; i++) {
                out.n = i + 1;
                out.items[i].key = strdup(named->items[i].key);
                int r = out.items[i].key ? copy_blob(named->items[i].value, &out.items[i].value, NULL, ret_error)
                                         : -ENOMEM;
                if (r < 0) {
                        blob_StringBlobDict_clear(&out);
                        return r;
                }
        }
        *ret_copies = out;
        return 0;
}

static int on_make(sd_bus_message *call, void *userdata, uint64_t size, uint8_t seed, dbidl_blob **ret_data,
                   sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        if (size > (UINT64_C(1) << 32))
                return dbidl_error_invalid_args(ret_error, "Make: at most 4 GiB, not %" PRIu64, size);
        unsigned char *p = malloc(size ? (size_t) size : 1);
        if (!p)
                return -ENOMEM;
        for (uint64_t i = 0; i < size; i++)
                p[i] = (unsigned char) ((seed + i) % 251);
        int r = dbidl_blob_new_from_data(p, (size_t) size, ret_data);
        free(p);
        return r;
}

static int on_set_limit(sd_bus_message *call, void *userdata, uint64_t bytes, sd_bus_error *ret_error) {
        (void) call;
        (void) userdata;
        int r = dbidl_limit_set(DBIDL_LIMIT_BLOB_SIZE, bytes);
        return r < 0 ? dbidl_error_invalid_args(ret_error, "SetLimit: %s", strerror(-r)) : 0;
}

static int on_publish(sd_bus_message *call, void *userdata, dbidl_blob *data, sd_bus_error *ret_error) {
        service *s = userdata;
        dbidl_blob *copy = NULL;
        uint64_t sum;
        (void) call;
        dbidl_blob_unref(s->last);
        s->last = dbidl_blob_ref(data);
        int r = copy_blob(data, &copy, &sum, ret_error);
        if (r < 0)
                return r;
        r = bt_emit_changed(s->bus, BT_PATH, copy, sum);
        dbidl_blob_unref(copy);
        if (r < 0)
                return sd_bus_error_set_errnof(ret_error, -r, "cannot emit Changed: %s", strerror(-r));
        return 0;
}

static int get_last(void *userdata, dbidl_blob **ret_value, sd_bus_error *ret_error) {
        service *s = userdata;
        (void) ret_error;
        *ret_value = dbidl_blob_ref(s->last); /* owned by the skeleton, as outputs are (NULL: sent empty) */
        return 0;
}

static int set_last(void *userdata, dbidl_blob *value, sd_bus_error *ret_error) {
        service *s = userdata;
        (void) ret_error;
        dbidl_blob_unref(s->last);
        s->last = dbidl_blob_ref(value);
        return 0;
}

static const bt_handlers handlers = {
        .handle_copy = on_copy,
        .handle_echo = on_echo,
        .handle_digest = on_digest,
        .handle_digest_bytes = on_digest_bytes,
        .handle_size = on_size,
        .handle_size_bytes = on_size_bytes,
        .handle_copy_pages = on_copy_pages,
        .handle_copy_named = on_copy_named,
        .handle_make = on_make,
        .handle_set_limit = on_set_limit,
        .handle_publish = on_publish,
        .get_last = get_last,
        .set_last = set_last,
};

int main(void) {
        service s = { 0 };
        setvbuf(stdout, NULL, _IOLBF, 0);
        int r = dbidl_bus_open_session(&s.bus);
        if (r < 0) {
                fprintf(stderr, "blob-service: cannot connect to the session bus: %s\n", strerror(-r));
                return 1;
        }
        r = bt_export(s.bus, BT_PATH, &handlers, &s, NULL);
        if (r >= 0)
                r = dbidl_bus_request_name(s.bus, BT_NAME, 0);
        if (r <= 0) {
                fprintf(stderr, "blob-service: cannot serve %s: %s\n", BT_NAME, r < 0 ? strerror(-r) : "queued");
                r = -EEXIST;
                goto out;
        }
        printf("blob-service: serving %s at %s\n", BT_NAME, BT_PATH);
        r = dbidl_bus_run(s.bus, NULL);
        if (r < 0)
                fprintf(stderr, "blob-service: event loop failed: %s\n", strerror(-r));
out:
        sd_bus_flush_close_unref(s.bus);
        dbidl_blob_unref(s.last);
        return r < 0 ? 1 : 0;
}
