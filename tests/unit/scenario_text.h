/* scenario_text: the scenario tests' two helpers — load a scenario from text that must
 * load (its errors logged), or that must not (its errors returned one per line). files
 * NULL reads data files from disk (scenario_load), else through files (scenario_load_with).
 * Header-only: each test links only its own folder's library. */
#ifndef BARRAGE_TESTS_SCENARIO_TEXT_H
#define BARRAGE_TESTS_SCENARIO_TEXT_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "scenarios/scenario.h"

static inline scenario_t *scenario_text_load(const char *file, const char *text,
                                             const scenario_files_t *files,
                                             scenario_errors_t *errs) {
    return files ? scenario_load_with(file, text, strlen(text), files, errs)
                 : scenario_load(file, text, strlen(text), errs);
}

/* The scenario of text, which must load (caller destroys). */
static inline scenario_t *scenario_text_ok(const char *file, const char *text,
                                           const scenario_files_t *files) {
    scenario_errors_t errs = {0};
    scenario_t *s = scenario_text_load(file, text, files, &errs);
    for (size_t i = 0; i < errs.n; i++)
        cr_log_error("%s", errs.lines[i]);
    cr_assert_not_null(s, "%s did not load", file);
    cr_assert_eq(errs.n, 0);
    scenario_errors_fini(&errs);
    return s;
}

/* The errors of text, which must not load, one per line (caller frees). */
static inline char *scenario_text_errors(const char *file, const char *text,
                                         const scenario_files_t *files) {
    scenario_errors_t errs = {0};
    scenario_t *s = scenario_text_load(file, text, files, &errs);
    cr_assert_null(s, "expected errors for:\n%s", text);
    char *out = NULL;
    size_t out_bytes = 0;
    FILE *f = open_memstream(&out, &out_bytes);
    for (size_t i = 0; i < errs.n; i++)
        fprintf(f, "%s\n", errs.lines[i]);
    fclose(f);
    scenario_errors_fini(&errs);
    return out;
}

#endif
