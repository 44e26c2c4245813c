/* filewrite: atomic replacement of a file's content. */
#include "common/filewrite.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/xmalloc.h"

static int s_write_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int file_replace(const char *path, const void *data, size_t data_bytes, char **err) {
    if (err) *err = NULL;
    char *tmp = xasprintf("%s.tmp-%ld", path, (long)getpid());
    int saved = 0;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) {
        saved = errno;
    } else {
        if (s_write_all(fd, data, data_bytes) != 0 || fsync(fd) != 0) saved = errno;
        if (close(fd) != 0 && !saved) saved = errno;
        if (!saved && rename(tmp, path) != 0) saved = errno;
        if (saved) unlink(tmp);
    }
    free(tmp);
    if (saved && err) *err = xasprintf("cannot write %s: %s", path, strerror(saved));
    return saved ? -1 : 0;
}
