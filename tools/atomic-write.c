/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tools/atomic-write.c — dbidlc's one way of writing a file: beside it, then renamed over it */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/atomic-write.h"

/* Whether `target` is a regular file (not a symbolic link) of mode `mode` holding exactly `text`.  Anything
 * that cannot be opened or read counts as different: the write that follows reports the error, if any. */
static bool file_has_content(const char *target, const char *text, size_t len, mode_t mode) {
        /* O_NONBLOCK: opening a FIFO does not wait for a writer; it is no regular file and so differs */
        int fd = open(target, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return false;
        struct stat st;
        bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == (mode & 07777) &&
                    st.st_size >= 0 && (size_t) st.st_size == len;
        char buf[16384];
        size_t done = 0;
        while (same) {
                ssize_t k = read(fd, buf, sizeof buf);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0) {
                        same = k == 0 && done == len;   /* an error, or a file that shrank since fstat() */
                        break;
                }
                same = (size_t) k <= len - done && memcmp(buf, text + done, (size_t) k) == 0;
                done += (size_t) k;
        }
        close(fd);
        return same;
}

int write_file_atomic(const char *target, const char *text, size_t len, mode_t mode, bool durable) {
        if (file_has_content(target, text, len, mode))
                return 0;       /* untouched: its mtime does not make a build redo what depends on it */
        char *tmp = NULL;
        if (asprintf(&tmp, "%s.XXXXXX", target) < 0)
                return -ENOMEM;
        int r = 0, fd = mkstemp(tmp);
        if (fd < 0) {
                r = -errno;
                free(tmp);
                return r;
        }
        for (size_t done = 0; r == 0 && done < len;) {
                ssize_t k = write(fd, text + done, len - done);
                if (k < 0)
                        r = -errno;
                else
                        done += (size_t) k;
        }
        if (r == 0 && fchmod(fd, mode) < 0)
                r = -errno;
        if (r == 0 && durable && fsync(fd) < 0)
                r = -errno;
        if (close(fd) < 0 && r == 0)
                r = -errno;
        if (r == 0 && rename(tmp, target) < 0)
                r = -errno;
        if (r < 0)
                unlink(tmp);
        free(tmp);
        return r;
}
