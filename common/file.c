/* file: whole-file reading, and atomic replacement of a file's content. */
#include "common/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/strbuf.h"
#include "common/xmalloc.h"

/* The first buffer size: the file's size when it has one (one read then
 * suffices, plus one that sees the end), else a page. */
static size_t s_first_bytes(int fd, size_t max_bytes) {
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) return 4096;
    if ((unsigned long long)st.st_size > max_bytes) return max_bytes + 1;
    return (size_t)st.st_size + 1;
}

/* Reads fd to its end into b (at most max_bytes + 1 bytes are read).
 * Returns 0, or an errno value. */
static int s_read_all(int fd, size_t max_bytes, strbuf_t *b) {
    for (;;) {
        if (b->len > max_bytes) return EFBIG;
        if (strbuf_room(b) == 0) strbuf_reserve(b, b->len < 4096 ? 4096 : b->len); /* doubles */
        size_t room = strbuf_room(b), left = max_bytes + 1 - b->len;
        ssize_t n = read(fd, b->data + b->len, room < left ? room : left);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno;
        if (n == 0) return 0;
        strbuf_commit(b, (size_t)n);
    }
}

char *file_read(const char *path, size_t max_bytes, size_t *out_bytes) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    strbuf_t b;
    strbuf_init(&b);
    strbuf_reserve(&b, s_first_bytes(fd, max_bytes));
    int err = s_read_all(fd, max_bytes, &b);
    if (close(fd) != 0 && !err) err = errno;
    if (err) {
        strbuf_fini(&b);
        errno = err;
        return NULL;
    }
    return strbuf_detach(&b, out_bytes);
}

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
