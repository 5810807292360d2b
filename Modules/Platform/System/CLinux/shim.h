// Linux interfaces Swift's Glibc module map leaves out: epoll, eventfd and
// the GNU accept4. Everything here is in libc itself, so nothing to link.
#ifndef BANYAN_CLINUX_SHIM_H
#define BANYAN_CLINUX_SHIM_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

// <sys/socket.h> declares accept4 only under _GNU_SOURCE, and the Glibc
// module may have been built without it; the prototype below is the same
// function, declared only when the header did not.
#ifndef __USE_GNU
extern int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
#endif

static inline int banyan_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    return accept4(fd, addr, len, flags);
}

#endif
