/* fuzz_scenario: the scenario loader on arbitrary YAML, and the worker's plan
 * built from whatever loads. Input: the YAML text, optionally followed by a
 * NUL byte and the content served for any data file the scenario names.
 * Oracles: a NULL scenario comes with at least one diagnostic, and every
 * diagnostic names the file (compiler style, "fuzz.yaml:..."); a scenario
 * that loads keeps the exact bytes it parsed (its text, and the data file's
 * content when it read one) and compiles into a plan against a loopback host. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "scenarios/scenario.h"
#include "tests/fuzz/fuzz.h"
#include "worker/plan.h"
#include "worker/wstats.h"

#define S_FILE "fuzz.yaml"

typedef struct {
    const char *data;
    size_t len;
    bool present;
} s_data_file_t;

static char *s_read(void *ctx, const char *name, size_t *len) {
    const s_data_file_t *f = ctx;
    (void)name;
    if (!f->present) {
        errno = ENOENT;
        return NULL;
    }
    *len = f->len;
    char *copy = xmalloc(f->len + 1);
    if (f->len) memcpy(copy, f->data, f->len);
    copy[f->len] = '\0';
    return copy;
}

static void s_check_errors(const scenario_errors_t *errs, bool loaded) {
    if (!loaded && errs->n == 0) abort();
    for (size_t i = 0; i < errs->n; i++) {
        if (strncmp(errs->lines[i], S_FILE ":", strlen(S_FILE) + 1) != 0) abort();
    }
}

/* The scenario's own copies of what it parsed are byte for byte the input. */
static void s_check_kept(const scenario_t *sc, const char *yaml, size_t yaml_len,
                         const s_data_file_t *file) {
    size_t len = 0;
    const char *text = scenario_text(sc, &len);
    if (len != yaml_len || (len && memcmp(text, yaml, len) != 0) || text[len] != '\0') abort();
    for (size_t i = 0; i < scenario_n_files(sc); i++) {
        scenario_file_t f = scenario_file(sc, i);
        if (!file->present || f.data_bytes != file->len) abort();
        if (f.data_bytes && memcmp(f.data, file->data, f.data_bytes) != 0) abort();
    }
}

static void s_plan(const scenario_t *sc) {
    wstats_t *ws = wstats_new();
    char *err = NULL;
    plan_t *plan = plan_new(sc, "http://127.0.0.1:1", false, ws, &err);
    if (!plan) abort(); /* the host is given, so a loaded scenario always plans */
    for (size_t c = 0; c < plan->n_classes; c++) {
        const plan_class_t *pc = &plan->classes[c];
        if (pc->n_tasks) plan_pick(pc, 0x9e3779b97f4a7c15u);
    }
    plan_destroy(&plan);
    free(err);
    wstats_destroy(&ws);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const uint8_t *nul = memchr(data, '\0', size);
    size_t yaml_len = nul ? (size_t)(nul - data) : size;
    char *yaml = xmalloc(yaml_len ? yaml_len : 1); /* exact size: no terminator to lean on */
    if (yaml_len) memcpy(yaml, data, yaml_len);
    s_data_file_t file = {.present = nul != NULL};
    if (nul) {
        file.data = (const char *)nul + 1;
        file.len = size - yaml_len - 1;
    }
    scenario_files_t files = {.read = s_read, .ctx = &file};
    scenario_errors_t errs = {0};
    scenario_t *sc = scenario_load_with(S_FILE, yaml, yaml_len, &files, &errs);
    s_check_errors(&errs, sc != NULL);
    scenario_errors_fini(&errs);
    if (sc) s_check_kept(sc, yaml, yaml_len, &file);
    if (sc) s_plan(sc);
    scenario_destroy(&sc);
    free(yaml);
    return 0;
}
