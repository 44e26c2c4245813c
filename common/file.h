/* file: whole-file input and output — the one reader of whole files (with
 * read errors reported, never ignored) and the one atomic writer: the bytes
 * go to PATH.tmp-PID in the same directory, are flushed to disk, and the
 * temporary is renamed over PATH, so a reader never sees half a file and a
 * failed write leaves nothing behind. */
#ifndef BARRAGE_COMMON_FILE_H
#define BARRAGE_COMMON_FILE_H

#include <stddef.h>

/* Reads the file at path whole (regular files, pipes, devices; a directory
 * fails with EISDIR). Returns a new buffer (caller frees) holding the bytes
 * and a NUL after them, with their count in *out_bytes; or NULL with errno
 * set: open's or read's error, or EFBIG if it holds more than max_bytes. */
char *file_read(const char *path, size_t max_bytes, size_t *out_bytes);

/* Replaces path's content with data (data_bytes) atomically. Returns 0, or
 * -1 with *err (malloc'd, caller frees; err may be NULL) like
 * "cannot write out.json: Permission denied". */
int file_replace(const char *path, const void *data, size_t data_bytes, char **err);

#endif
