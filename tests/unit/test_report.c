/* test_report: the model of a run — workers, thresholds, and a deep copy of
 * everything (report/report.h). */
#include <criterion/criterion.h>
#include <string.h>

#include "common/xmalloc.h"
#include "report/report.h"

static report_t *s_report(void) {
    report_t *r = report_new();
    r->scenario_name = xstrdup("shop");
    r->host = xstrdup("http://127.0.0.1:8000");
    r->mode = xstrdup("closed");
    r->stages = xstrdup("");
    r->users = 10;
    r->run_seconds = 12.5;
    report_add_worker(r, &(report_worker_t){.id = "w1", .hostname = "h", .pid = 7, .users = 5,
                                            .reports = 12, .state = "finished"});
    report_add_threshold(r, &(report_threshold_t){.text = "p95<300ms", .passed = true,
                                                  .value = 12, .measured = "12ms"});
    histogram_t *h = histogram_new();
    histogram_record_n(h, 4000, 7);
    results_row_delta_t row = {.method = "GET", .name = "/", .requests = 7, .latency = h};
    results_add(r->results, &(results_delta_t){.n_rows = 1, .rows = &row});
    timeline_add(r->timeline, 0, &(results_delta_t){.n_rows = 1, .rows = &row});
    timeline_close_until(r->timeline, 1, 10, 1700000000000ull);
    histogram_destroy(&h);
    return r;
}

Test(report, a_clone_owns_a_copy_of_everything) {
    report_t *r = s_report();
    report_t *c = report_clone(r);
    cr_expect_str_eq(c->scenario_name, "shop");
    cr_expect_neq(c->scenario_name, r->scenario_name);
    cr_expect_null(c->scenario_file);
    cr_expect_eq(c->users, 10);
    cr_expect_float_eq(c->run_seconds, 12.5, 1e-12);
    cr_assert_eq(c->n_workers, 1);
    cr_expect_str_eq(c->workers[0].id, "w1");
    cr_expect_neq(c->workers[0].id, r->workers[0].id);
    cr_assert_eq(c->n_thresholds, 1);
    cr_expect_str_eq(c->thresholds[0].measured, "12ms");
    cr_expect_null(c->thresholds[0].name);
    cr_expect_neq(c->results, r->results);
    cr_expect_eq(results_total(c->results)->requests, 7);
    cr_expect_eq(timeline_count(c->timeline), 1);
    report_destroy(&r);
    cr_expect_eq(histogram_percentile(results_total(c->results)->latency, 50),
                 histogram_percentile(results_row(c->results, 0)->latency, 50));
    cr_expect_eq(timeline_point(c->timeline, 0)->users, 10);
    report_destroy(&c);
    cr_expect_null(c);
}

Test(report, thresholds_pass_when_all_do) {
    report_t *r = s_report();
    cr_expect(report_thresholds_passed(r));
    report_add_threshold(r, &(report_threshold_t){.text = "p99<1ms", .passed = false});
    cr_expect_not(report_thresholds_passed(r));
    report_destroy(&r);
}
