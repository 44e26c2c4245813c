/* test_file: reading whole files (errors reported, size limit) and atomic replacement
 * (common/file.h). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file.h"

static char s_dir[64];

static void s_setup(void) {
    strcpy(s_dir, "/tmp/test_file.XXXXXX");
    cr_assert_not_null(mkdtemp(s_dir));
}

static void s_teardown(void) {
    DIR *d = opendir(s_dir);
    if (!d) return;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", s_dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(s_dir);
}

static const char *s_path(const char *name) {
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", s_dir, name);
    return path;
}

static void s_write(const char *name, const void *data, size_t len) {
    FILE *f = fopen(s_path(name), "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

static size_t s_entries(void) {
    DIR *d = opendir(s_dir);
    cr_assert_not_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

TestSuite(file, .init = s_setup, .fini = s_teardown);

Test(file, reads_a_whole_file_with_a_nul_after_it) {
    s_write("a.txt", "hello\0world", 11);
    size_t len = 0;
    char *got = file_read(s_path("a.txt"), 1024, &len);
    cr_assert_not_null(got);
    cr_expect_eq(len, 11, "NUL bytes inside count");
    cr_expect_eq(memcmp(got, "hello\0world", 12), 0, "content plus a terminating NUL");
    free(got);
}

Test(file, reads_an_empty_file) {
    s_write("empty", "", 0);
    size_t len = 99;
    char *got = file_read(s_path("empty"), 1024, &len);
    cr_assert_not_null(got);
    cr_expect_eq(len, 0);
    cr_expect_str_eq(got, "");
    free(got);
}

Test(file, reads_files_larger_than_the_first_guess) {
    /* /dev/zero-like content through a pipe has no size: the buffer grows. */
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    static char chunk[50000];
    memset(chunk, 'p', sizeof chunk);
    cr_assert_eq(write(fds[1], chunk, sizeof chunk), (ssize_t)sizeof chunk);
    close(fds[1]);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fds[0]);
    size_t len = 0;
    char *got = file_read(path, 1 << 20, &len);
    close(fds[0]);
    cr_assert_not_null(got, "%s", strerror(errno));
    cr_expect_eq(len, sizeof chunk);
    cr_expect_eq(strspn(got, "p"), sizeof chunk);
    free(got);
}

Test(file, the_size_limit_is_exact) {
    char data[100];
    memset(data, 'x', sizeof data);
    s_write("100", data, sizeof data);
    size_t len = 0;
    char *got = file_read(s_path("100"), 100, &len);
    cr_expect_not_null(got, "exactly max_bytes is fine");
    cr_expect_eq(len, 100);
    free(got);
    errno = 0;
    cr_expect_null(file_read(s_path("100"), 99, &len), "one byte over is refused");
    cr_expect_eq(errno, EFBIG);
}

Test(file, errors_come_with_errno) {
    size_t len = 0;
    errno = 0;
    cr_expect_null(file_read(s_path("missing"), 100, &len));
    cr_expect_eq(errno, ENOENT);
    errno = 0;
    cr_expect_null(file_read(s_dir, 100, &len), "a directory is not a file");
    cr_expect_eq(errno, EISDIR);
}

Test(file, replace_writes_and_replaces_leaving_no_temporary) {
    char *err = NULL;
    cr_assert_eq(file_replace(s_path("out"), "first", 5, &err), 0);
    cr_expect_null(err);
    cr_assert_eq(file_replace(s_path("out"), "2nd", 3, &err), 0);
    size_t len = 0;
    char *got = file_read(s_path("out"), 100, &len);
    cr_assert_not_null(got);
    cr_expect_str_eq(got, "2nd");
    free(got);
    cr_expect_eq(s_entries(), 1, "only the file itself is left");
}

Test(file, replace_failure_says_why_and_leaves_nothing) {
    char *err = NULL;
    cr_expect_eq(file_replace(s_path("no/such/dir"), "x", 1, &err), -1);
    cr_assert_not_null(err);
    cr_expect_not_null(strstr(err, "cannot write"), "%s", err);
    cr_expect_not_null(strstr(err, strerror(ENOENT)), "%s", err);
    free(err);
    cr_expect_eq(file_replace(s_path("no/such/dir"), "x", 1, NULL), -1, "err may be NULL");
    cr_expect_eq(s_entries(), 0);
}
