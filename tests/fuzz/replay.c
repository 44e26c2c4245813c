/* replay: runs a fuzz target over files and directories of inputs (its seed
 * corpus and the crash regressions) without libFuzzer, so every build's test
 * suite replays them. Usage: replay_NAME PATH...; a missing PATH is skipped.
 * Exit 0 when every input ran (a crash kills the process instead). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/file.h"
#include "common/xmalloc.h"
#include "tests/fuzz/fuzz.h"

static int s_run_file(const char *path) {
    size_t len = 0;
    char *buf = file_read(path, (size_t)64 << 20, &len);
    if (!buf) {
        fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    /* An exact-size copy, so ASan sees reads past the input's end. */
    uint8_t *exact = xmalloc(len ? len : 1);
    if (len) memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

static int s_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file of dir in name order; returns how many, or -1. */
static int s_run_dir(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) names = xrealloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names);
        names[n++] = xasprintf("%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, s_cmp);
    int ran = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            if (s_run_file(names[i]) == 0) ran++;
            else failed = 1;
        }
        free(names[i]);
    }
    free(names);
    return failed ? -1 : ran;
}

int main(int argc, char **argv) {
    int total = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            printf("replay: %s: absent, skipped\n", argv[i]);
            continue;
        }
        int n = S_ISDIR(st.st_mode) ? s_run_dir(argv[i]) : (s_run_file(argv[i]) == 0 ? 1 : -1);
        if (n < 0) return 1;
        printf("replay: %s: %d input(s) ok\n", argv[i], n);
        total += n;
    }
    printf("replay: %d input(s) ran without a crash\n", total);
    return 0;
}
