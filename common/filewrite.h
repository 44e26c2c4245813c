/* filewrite: replaces a file's content atomically — the bytes go to
 * PATH.tmp-PID in the same directory, are flushed to disk, and the temporary
 * is renamed over PATH, so a reader never sees half a file and a failed write
 * leaves nothing behind. */
#ifndef BARRAGE_COMMON_FILEWRITE_H
#define BARRAGE_COMMON_FILEWRITE_H

#include <stddef.h>

/* Returns 0, or -1 with *err (malloc'd, caller frees; err may be NULL) like
 * "cannot write out.json: Permission denied". */
int file_replace(const char *path, const void *data, size_t data_bytes, char **err);

#endif
