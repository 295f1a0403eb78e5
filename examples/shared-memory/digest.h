/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/shared-memory/digest.h — the size and SHA-256 line every shm-* program prints (OpenSSL's EVP) */
#pragma once

#include <inttypes.h>
#include <stdio.h>

#include <dbidl/dbidl.h>
#include <openssl/evp.h>

/*
 * "SIZE bytes, SHA-256 HEX" of the bytes of `b` (mapped, not copied) into
 * `buf` of at least 128 bytes.  Returns 0, or a negative errno of the mapping
 * (-EIO when OpenSSL fails).
 */
static inline int shm_describe(dbidl_blob *b, char *buf, size_t n) {
        const void *data;
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        int r = dbidl_blob_map(b, &data);
        if (r < 0)
                return r;
        if (!EVP_Digest(data, (size_t) dbidl_blob_get_size(b), md, &len, EVP_sha256(), NULL))
                return -EIO;
        int k = snprintf(buf, n, "%" PRIu64 " bytes, SHA-256 ", dbidl_blob_get_size(b));
        for (unsigned int i = 0; i < len && k > 0 && (size_t) k + 3 <= n; i++)
                k += snprintf(buf + k, n - (size_t) k, "%02x", md[i]);
        return 0;
}
