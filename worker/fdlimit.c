/* fdlimit: RLIMIT_NOFILE versus the users of a run. */
#include "worker/fdlimit.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "common/xmalloc.h"

uint64_t fdlimit_needed(uint32_t users) {
    return (uint64_t)users + FDLIMIT_RESERVED;
}

char *fdlimit_check(uint32_t users) {
    uint64_t need = fdlimit_needed(users);
    struct rlimit rl;
    int raise_errno = 0;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
        return xasprintf("getrlimit(RLIMIT_NOFILE): %s (%s:%d): cannot tell whether %u users "
                         "have enough open files",
                         strerror(errno), __FILE__, __LINE__, users);
    }
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need) return NULL;
    rlim_t want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? (rlim_t)need : rl.rlim_max;
    if (want > rl.rlim_cur) {
        struct rlimit raised = {.rlim_cur = want, .rlim_max = rl.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0) {
            rl.rlim_cur = want;
        } else {
            raise_errno = errno; /* said below if the limit stays too low */
        }
    }
    if (rl.rlim_cur >= need) return NULL;
    char raise_failed[128] = "";
    if (raise_errno) {
        snprintf(raise_failed, sizeof raise_failed, " (setrlimit: %s, %s:%d)",
                 strerror(raise_errno),
                 __FILE__, __LINE__);
    }
    return xasprintf("%u users need about %llu open files but the limit is %llu (ulimit -n)%s: "
                     "connections beyond it fail as \"connect: out of file descriptors\"; "
                     "raise the limit (ulimit -n %llu) or spread the users over more workers",
                     users, (unsigned long long)need, (unsigned long long)rl.rlim_cur,
                     raise_failed, (unsigned long long)need);
}
