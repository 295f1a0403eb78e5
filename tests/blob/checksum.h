/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tests/blob/checksum.h — the 64-bit checksum blob-service and its clients compare: FNV-1a over 8-byte words */
#pragma once

#include <stdint.h>
#include <string.h>

/*
 * FNV-1a's step over little 8-byte words (memcpy'd: any alignment), then the
 * tail bytes: about memory speed, so that verifying a 1 GiB blob measures the
 * blob, not the checksum.  Not a cryptographic hash; it only has to catch
 * bytes that differ.
 */
static inline uint64_t bt_checksum(const void *data, uint64_t size) {
        const unsigned char *p = data;
        uint64_t h = UINT64_C(14695981039346656037), w;
        uint64_t i = 0;
        for (; i + 8 <= size; i += 8) {
                memcpy(&w, p + i, 8);
                h = (h ^ w) * UINT64_C(1099511628211);
        }
        for (; i < size; i++)
                h = (h ^ p[i]) * UINT64_C(1099511628211);
        return h ^ size;
}
