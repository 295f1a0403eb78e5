/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/util.h — small internal helpers of libdbidl: cleanup attributes, ownership transfer, argument checks */
#pragma once

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Free a variable when it goes out of scope: `_cleanup_(freep) char *s = NULL;` */
#define _cleanup_(f) __attribute__((cleanup(f)))
/* An exported function: libdbidl is built with -fvisibility=hidden, and runtime/libdbidl.sym names each of these. */
#define _public_ __attribute__((visibility("default")))

/*
 * An intrusive doubly linked list of nodes with `next` and `prev` members:
 * put `item` at the front of the list `head`, or take it out (it must be in
 * it, or already unlinked).  The caller holds the list's lock.
 */
#define LIST_PREPEND(head, item)                        \
        do {                                            \
                (item)->prev = NULL;                    \
                (item)->next = (head);                  \
                if (head)                               \
                        (head)->prev = (item);          \
                (head) = (item);                        \
        } while (0)
#define LIST_REMOVE(head, item)                                 \
        do {                                                    \
                if ((item)->prev)                               \
                        (item)->prev->next = (item)->next;      \
                else if ((head) == (item))                      \
                        (head) = (item)->next;                  \
                if ((item)->next)                               \
                        (item)->next->prev = (item)->prev;      \
                (item)->prev = (item)->next = NULL;             \
        } while (0)

/* Hand ownership out of a _cleanup_ variable: returns its value and sets it to NULL. */
#define TAKE_PTR(p)                             \
        ({                                      \
                __typeof__(p) *_pp_ = &(p);     \
                __typeof__(p) _p_ = *_pp_;      \
                *_pp_ = NULL;                   \
                _p_;                            \
        })
#define TAKE_FD(fd)                             \
        ({                                      \
                int *_pfd_ = &(fd);             \
                int _fd_ = *_pfd_;              \
                *_pfd_ = -1;                    \
                _fd_;                           \
        })

/* Check an argument at a public boundary: return `r` (a negative errno) if `expr` is false. */
#define return_if_fail(expr, r)                 \
        do {                                    \
                if (!(expr))                    \
                        return (r);             \
        } while (0)

static inline void freep(void *p) {
        free(*(void **) p);
}

static inline void closep(int *fd) {
        if (*fd >= 0) {
                int saved = errno;
                close(*fd);
                errno = saved;
        }
}

#define DEFINE_TRIVIAL_CLEANUP_FUNC(type, func)         \
        static inline void func##p(type *p) {           \
                if (*p)                                 \
                        func(*p);                       \
        }

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Why a value read from a message was refused, for error messages: -EDOM is
 * generated read code's answer to an enum value outside the declared set.
 */
static inline const char *invalid_value_reason(int r) {
        switch (r) {
        case -EDOM:
                return "the value is not one of its enum's declared values";
        case -EBADFD:
                return "the blob is not a memfd sealed against writing, shrinking and growing";
        case -EFBIG:
                return "the blob is larger than the receiver's limit";
        default:
                return strerror(r < 0 ? -r : r);
        }
}
