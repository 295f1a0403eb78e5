/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/blob.c — blobs: sealed memfds, checked on receipt before anyone maps them (dbidl/blob.h) */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dbidl/blob.h>
#include <dbidl/object.h>

#include "runtime/util.h"

/* What makes a memfd immutable: no write (nor writable mapping), no shrink, no grow. */
#define IMMUTABLE_SEALS (F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW)

struct dbidl_blob {
        unsigned n_ref;
        int fd;
        bool sealed;            /* the fd carries IMMUTABLE_SEALS, so `size` is final */
        uint64_t size;
        void *data;             /* the read-only mapping, once asked for (NULL before, and for size 0) */
};

static int blob_new(int fd, bool sealed, uint64_t size, dbidl_blob **ret) {
        dbidl_blob *b = malloc(sizeof(*b));
        if (!b)
                return -ENOMEM;
        *b = (dbidl_blob) { .n_ref = 1, .fd = fd, .sealed = sealed, .size = size };
        *ret = b;
        return 0;
}

/*
 * The seals of `fd` (fcntl F_GET_SEALS) and its fstat() in *ret_st, or
 * -EBADFD for anything but a regular file (a pipe, a socket, a directory), a
 * file that has no seals (not a memfd: EINVAL) or an fd that cannot be asked
 * (an O_PATH one: EBADF).
 */
static int memfd_seals(int fd, struct stat *ret_st) {
        if (fstat(fd, ret_st) < 0)
                return -errno;
        if (!S_ISREG(ret_st->st_mode))
                return -EBADFD;
        int seals = fcntl(fd, F_GET_SEALS);
        return seals < 0 ? (errno == EINVAL || errno == EBADF ? -EBADFD : -errno) : seals;
}

/* Seal the memfd of `b` if it is not yet: then its size is final. */
static int blob_seal(dbidl_blob *b) {
        struct stat st;
        if (b->sealed)
                return 0;
        if (fcntl(b->fd, F_ADD_SEALS, IMMUTABLE_SEALS | F_SEAL_SEAL) < 0) {
                /* EBUSY: a writable shared mapping of the memfd still exists; EPERM: F_SEAL_SEAL without the others */
                return errno == EPERM ? -EBADFD : -errno;
        }
        if (fstat(b->fd, &st) < 0)
                return -errno;
        b->size = (uint64_t) st.st_size;
        b->sealed = true;
        return 0;
}

/* A fresh memfd that accepts seals. */
static int new_memfd(void) {
        int fd = memfd_create("dbidl-blob", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        return fd < 0 ? -errno : fd;
}

/* The whole of data[0..size) to fd, at its current offset. */
static int write_all(int fd, const void *data, size_t size) {
        const unsigned char *p = data;
        while (size > 0) {
                ssize_t n = write(fd, p, size);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += n;
                size -= (size_t) n;
        }
        return 0;
}

/*
 * A memfd taken over by a new blob, sealed at once; on failure the fd is
 * closed.  Its offset goes back to 0, so that a receiver that read()s it
 * (rather than mapping it or using pread()) starts at the first byte.
 */
static int blob_from_filled_memfd(int fd, uint64_t size, dbidl_blob **ret) {
        dbidl_blob *b = NULL;
        if (lseek(fd, 0, SEEK_SET) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        int r = blob_new(fd, false, size, &b);
        if (r < 0) {
                close(fd);
                return r;
        }
        r = blob_seal(b);
        if (r < 0) {
                dbidl_blob_unref(b);
                return r;
        }
        *ret = b;
        return 0;
}

_public_ int dbidl_blob_new_from_data(const void *data, size_t size, dbidl_blob **ret) {
        return_if_fail(ret && (data || size == 0), -EINVAL);
        int fd = new_memfd();
        if (fd < 0)
                return fd;
        int r = write_all(fd, data, size);
        if (r < 0) {
                close(fd);
                return r;
        }
        return blob_from_filled_memfd(fd, size, ret);
}

_public_ int dbidl_blob_new_from_memfd(int fd, dbidl_blob **ret) {
        struct stat st;
        return_if_fail(fd >= 0 && ret, -EINVAL);
        int seals = memfd_seals(fd, &st);
        if (seals < 0)
                return seals;
        /* F_SEAL_SEAL without the immutable seals: a memfd created without MFD_ALLOW_SEALING, never sealable */
        if ((seals & F_SEAL_SEAL) && (seals & IMMUTABLE_SEALS) != IMMUTABLE_SEALS)
                return -EBADFD;
        return blob_new(fd, (seals & IMMUTABLE_SEALS) == IMMUTABLE_SEALS, (uint64_t) st.st_size, ret);
}

_public_ int dbidl_blob_new_from_file(const char *path, dbidl_blob **ret) {
        struct stat st;
        return_if_fail(path && ret, -EINVAL);
        int in = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (in < 0)
                return -errno;
        if (fstat(in, &st) < 0 || S_ISDIR(st.st_mode)) {
                int r = S_ISDIR(st.st_mode) ? -EISDIR : -errno;
                close(in);
                return r;
        }
        int fd = new_memfd();
        if (fd < 0) {
                close(in);
                return fd;
        }
        /* copy_file_range() copies in the kernel; a file it cannot handle (a pipe, /proc) is read and written */
        uint64_t total = 0;
        int r = 0;
        for (;;) {
                ssize_t n = copy_file_range(in, NULL, fd, NULL, 1 << 30, 0);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && total == 0 && (errno == EXDEV || errno == EINVAL || errno == EOPNOTSUPP || errno == ENOSYS))
                        break;
                if (n < 0)
                        r = -errno;
                if (n <= 0)
                        goto done;
                total += (uint64_t) n;
        }
        for (;;) {
                char buf[65536];
                ssize_t n = read(in, buf, sizeof buf);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        r = -errno;
                if (n <= 0)
                        break;
                r = write_all(fd, buf, (size_t) n);
                if (r < 0)
                        break;
                total += (uint64_t) n;
        }
done:
        close(in);
        if (r < 0) {
                close(fd);
                return r;
        }
        return blob_from_filled_memfd(fd, total, ret);
}

_public_ dbidl_blob *dbidl_blob_ref(dbidl_blob *b) {
        if (b)
                b->n_ref++;
        return b;
}

_public_ dbidl_blob *dbidl_blob_unref(dbidl_blob *b) {
        if (!b || --b->n_ref > 0)
                return NULL;
        if (b->data)
                munmap(b->data, (size_t) b->size);
        close(b->fd);
        free(b);
        return NULL;
}

_public_ void dbidl_blob_unrefp(dbidl_blob **b) {
        if (b)
                *b = dbidl_blob_unref(*b);
}

_public_ uint64_t dbidl_blob_get_size(const dbidl_blob *b) {
        return b ? b->size : 0;
}

_public_ int dbidl_blob_get_fd(const dbidl_blob *b) {
        return b ? b->fd : -EINVAL;
}

_public_ int dbidl_blob_map(dbidl_blob *b, const void **ret_data) {
        static const unsigned char empty[1];
        return_if_fail(b && ret_data, -EINVAL);
        int r = blob_seal(b);
        if (r < 0)
                return r;
        if (b->size == 0) {
                *ret_data = empty;
                return 0;
        }
        if (b->size > SIZE_MAX)
                return -EFBIG;
        if (!b->data) {
                void *p = mmap(NULL, (size_t) b->size, PROT_READ, MAP_SHARED, b->fd, 0);
                if (p == MAP_FAILED)
                        return -errno;
                b->data = p;
        }
        *ret_data = b->data;
        return 0;
}

/*
 * Whether the received `fd` may become a blob: a regular file with seals
 * (a memfd), sealed against write, shrink and grow, within the size limit.
 * Nothing is mapped or read; *ret_size is its final size.
 */
static int check_received(int fd, uint64_t *ret_size) {
        struct stat st;
        int seals = memfd_seals(fd, &st);
        if (seals < 0)
                return seals;
        if ((seals & IMMUTABLE_SEALS) != IMMUTABLE_SEALS)
                return -EBADFD;
        /* a memfd reopened write-only (through /proc/PID/fd) cannot be mapped for reading */
        int flags = fcntl(fd, F_GETFL);
        if (flags < 0 || (flags & O_ACCMODE) == O_WRONLY)
                return -EBADFD;
        if ((uint64_t) st.st_size > dbidl_limit_get(DBIDL_LIMIT_BLOB_SIZE))
                return -EFBIG;
        *ret_size = (uint64_t) st.st_size;
        return 0;
}

_public_ int dbidl_blob_read(sd_bus_message *m, dbidl_blob **ret) {
        int fd = -1;
        uint64_t size = 0;
        return_if_fail(m && ret, -EINVAL);
        int r = sd_bus_message_read_basic(m, 'h', &fd);
        if (r == 0)
                return -ENXIO;
        if (r < 0)
                return r;
        r = check_received(fd, &size);
        if (r < 0)
                return r;
        int own = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (own < 0)
                return -errno;
        r = blob_new(own, true, size, ret);
        if (r < 0)
                close(own);
        return r;
}

_public_ int dbidl_blob_append(sd_bus_message *m, dbidl_blob *b) {
        return_if_fail(m, -EINVAL);
        if (!b) {
                /* a blob nobody set (a field or property still as _init() left it) travels as an empty one */
                _cleanup_(dbidl_blob_unrefp) dbidl_blob *empty = NULL;
                int r = dbidl_blob_new_from_data(NULL, 0, &empty);
                return r < 0 ? r : dbidl_blob_append(m, empty);
        }
        int r = blob_seal(b);
        if (r < 0)
                return r;
        return sd_bus_message_append_basic(m, 'h', &b->fd);
}
