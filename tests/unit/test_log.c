/* test_log: the lines kept for the web UI's Logs tab (common/log.h). */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdlib.h>

#include "common/log.h"

Test(log, keeps_the_last_lines_printed_oldest_first, .init = cr_redirect_stderr) {
    log_init("master", LOG_LEVEL_INFO);
    log_keep_recent(3, LOG_LEVEL_INFO);
    for (int i = 1; i <= 5; i++) log_info("line %d", i);
    log_debug("more verbose than kept");
    log_warn("loud");
    log_line_t *l = NULL;
    size_t n = log_recent(&l);
    cr_assert_eq(n, 3);
    cr_expect_str_eq(l[0].text, "line 4");
    cr_expect_str_eq(l[1].text, "line 5");
    cr_expect_str_eq(l[2].text, "loud");
    cr_expect_eq(l[2].level, LOG_LEVEL_WARN);
    cr_expect_str_eq(log_level_name(l[2].level), "warn");
    cr_expect_gt(l[0].wall_ms, 1600000000000u, "wall clock in ms");
    cr_expect_leq(l[0].wall_ms, l[2].wall_ms);
    log_lines_free(l, n);
    log_keep_recent(0, LOG_LEVEL_INFO);
    cr_expect_eq(log_recent(&l), 0);
    cr_expect_null(l);
    log_info("not kept either");
    cr_expect_eq(log_recent(&l), 0);
}

Test(log, keeps_nothing_unless_asked, .init = cr_redirect_stderr) {
    log_init("worker-1", LOG_LEVEL_INFO);
    log_info("a worker's line");
    log_line_t *l = NULL;
    cr_expect_eq(log_recent(&l), 0);
    cr_expect_null(l);
}

Test(log, keeps_lines_more_verbose_than_printed, .init = cr_redirect_stderr) {
    log_init("master", LOG_LEVEL_WARN);
    log_keep_recent(10, LOG_LEVEL_INFO);
    log_info("kept, not printed");
    log_debug("neither");
    fflush(stderr);
    log_line_t *l = NULL;
    size_t n = log_recent(&l);
    cr_assert_eq(n, 1);
    cr_expect_str_eq(l[0].text, "kept, not printed");
    log_lines_free(l, n);
    log_keep_recent(0, LOG_LEVEL_INFO);
    cr_assert_stderr_eq_str("");
}
