/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tools/atomic-write.h — dbidlc's one way of writing a file: beside it, then renamed over it */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Replace `target` with the `len` bytes of `text`: they are written to a
 * temporary file in the same directory, which gets `mode` (and, with
 * `durable`, is fsync()ed) and is then renamed over `target`, so that a
 * failure leaves the old file as it was and no reader sees half a file.
 * When `target` already is a regular file with mode `mode` and exactly
 * these bytes, nothing is written (no temporary file either): the file
 * keeps its mtime, so that make does not rebuild what depends on it.  A
 * symbolic link, or a file of another mode, is replaced as before.
 * Returns 0 or -errno (not reported).
 */
int write_file_atomic(const char *target, const char *text, size_t len, mode_t mode, bool durable);
