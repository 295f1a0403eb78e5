/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dbidl/blob.h — the IDL's `blob`: large immutable data passed as a sealed memfd, not copied through the bus */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <systemd/sd-bus.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A blob is a read-only view of bytes that live in a memfd (memfd_create(2))
 * sealed against writing, shrinking and growing (F_SEAL_WRITE, F_SEAL_SHRINK,
 * F_SEAL_GROW: fcntl(2), "File Sealing").  On the wire it is a unix fd (D-Bus
 * type 'h', D-Bus specification "Basic types"): the bytes never pass through
 * the bus daemon and are never copied by the sender or the receiver; the
 * receiver maps them read-only when it first asks for them.  The seals make
 * that mapping safe: a sender cannot change or truncate the data under the
 * reader (truncation would raise SIGBUS in the reader).
 *
 * Blobs are reference counted (dbidl_blob_ref/unref); the last unref unmaps
 * the data and closes the fd.  A received blob has been checked before
 * anyone could map it: a memfd (a regular file that supports seals), with the
 * three seals, readable, and no larger than DBIDL_LIMIT_BLOB_SIZE.  Anything
 * else — an unsealed or writable memfd, a pipe, a socket, a directory, a
 * plain file, an O_PATH or write-only fd — is refused with -EBADFD, and a
 * blob over the limit with -EFBIG: a service
 * answers the call with org.freedesktop.DBus.Error.InvalidArgs naming the
 * argument, a client's call returns that errno.
 */
typedef struct dbidl_blob dbidl_blob;

/*
 * A new blob holding a copy of data[0..size): a fresh memfd (MFD_CLOEXEC |
 * MFD_ALLOW_SEALING), written and sealed at once.  `data` may be NULL when
 * size is 0.  *ret is owned by the caller.  Returns 0, -EINVAL, -ENOMEM, or
 * the negative errno of memfd_create(), write() or fcntl(F_ADD_SEALS).
 */
int dbidl_blob_new_from_data(const void *data, size_t size, dbidl_blob **ret);

/*
 * A new blob over the memfd `fd`, which the program created with
 * MFD_ALLOW_SEALING and filled itself (write(), or a shared writable mapping
 * it unmaps before sending).  The blob takes `fd` over on success (it is
 * closed with the blob; on failure the caller keeps it).  The memfd is sealed
 * when the blob is first sent (or mapped): then it can no longer change, and
 * the send fails with -EBUSY while a writable mapping of it exists.  Returns
 * 0, -EINVAL (a negative fd), -EBADFD (not a memfd that accepts seals),
 * -ENOMEM, or the negative errno of fstat().
 */
int dbidl_blob_new_from_memfd(int fd, dbidl_blob **ret);

/*
 * A new blob holding a copy of the file at `path` (copy_file_range(2) into a
 * fresh memfd, then sealed), so that later changes of the file do not reach
 * it.  Returns 0, -EINVAL, -ENOMEM, or the negative errno of open(), fstat()
 * (-EISDIR for a directory), the copy or the seals.
 */
int dbidl_blob_new_from_file(const char *path, dbidl_blob **ret);

/* One more reference; NULL for NULL. */
dbidl_blob *dbidl_blob_ref(dbidl_blob *blob);
/* Drop a reference; the last one unmaps the data and closes the fd.  Accepts NULL; returns NULL. */
dbidl_blob *dbidl_blob_unref(dbidl_blob *blob);
/* For __attribute__((cleanup(dbidl_blob_unrefp))). */
void dbidl_blob_unrefp(dbidl_blob **blob);

/* The size in bytes (0 for NULL). */
uint64_t dbidl_blob_get_size(const dbidl_blob *blob);
/*
 * The memfd (borrowed: the blob closes it; dup() it to keep it), or -EINVAL
 * for NULL.  Its file offset is shared with every process holding the fd
 * (0 for blobs the runtime filled): read it with mmap() or pread().
 */
int dbidl_blob_get_fd(const dbidl_blob *blob);
/*
 * The bytes, mapped read-only (mmap(2) PROT_READ, MAP_SHARED) on the first
 * call and kept until the last unref: *ret_data points to
 * dbidl_blob_get_size() bytes, or to a valid empty buffer for size 0.  A blob
 * of the program's own memfd is sealed first.  Returns 0, -EINVAL, -EFBIG (a
 * size this process cannot map), -EBUSY (sealing failed: a writable mapping
 * exists), or the negative errno of mmap().
 */
int dbidl_blob_map(dbidl_blob *blob, const void **ret_data);

/*
 * Read a blob at the position of `m` (an 'h'), checked as described above,
 * into *ret (owned: a dup of the message's fd).  Returns 0, -EBADFD, -EFBIG,
 * -ENOMEM, or sd-bus's negative errno (-ENXIO: no 'h' there).
 */
int dbidl_blob_read(sd_bus_message *m, dbidl_blob **ret);
/*
 * Append `blob` to `m` as an 'h' (sd_bus_message_append_basic(); sd-bus dups
 * the fd), sealing a program's own memfd first.  A NULL blob (a value nobody
 * set, as _init() leaves it) is sent as an empty one.  Returns 0, -EINVAL for
 * a NULL `m`, -EBUSY (a writable mapping prevents the seals), or sd-bus's or
 * memfd_create()'s negative errno.
 */
int dbidl_blob_append(sd_bus_message *m, dbidl_blob *blob);

#ifdef __cplusplus
}
#endif
