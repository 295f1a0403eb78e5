/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tools/atomic-write.c — dbidlc's one way of writing a file: beside it, then renamed over it */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/atomic-write.h"

int write_file_atomic(const char *target, const char *text, size_t len, mode_t mode, bool durable) {
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
