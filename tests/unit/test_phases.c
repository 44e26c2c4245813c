/* test_phases: phase names, presence and shares of a row (report/phases.h). */
#include <criterion/criterion.h>

#include "report/phases.h"

Test(phases, names_parse_back) {
    for (int p = 0; p < RESULTS_PHASE_N; p++) {
        cr_assert_eq(phases_parse(phases_name(p)), p);
        cr_assert_neq(phases_label(p)[0], '\0');
    }
    cr_assert_str_eq(phases_name(RESULTS_PHASE_TLS), "tls");
    cr_assert_str_eq(phases_label(RESULTS_PHASE_WAIT), "Wait");
    cr_assert_str_eq(phases_name(RESULTS_PHASE_N), "");
    cr_assert_str_eq(phases_name(-1), "");
    cr_assert_eq(phases_parse("queue"), -1);
    cr_assert_eq(phases_parse("DNS"), -1, "names are lower case");
}

Test(phases, shares_add_up_and_the_total_is_the_sum_of_averages) {
    results_t *r = results_new();
    cr_assert_not(phases_any(r));
    histogram_t *ph[RESULTS_PHASE_N];
    const uint64_t us[RESULTS_PHASE_N] = {10, 200, 0, 7000, 790};
    for (int p = 0; p < RESULTS_PHASE_N; p++) {
        ph[p] = histogram_new();
        histogram_record(ph[p], us[p]);
        histogram_record(ph[p], us[p]);
    }
    results_row_delta_t row = {
        .method = "GET", .name = "/", .requests = 3, .phases = {ph[0], ph[1], ph[2], ph[3], ph[4]}};
    results_add(r, &(results_delta_t){.n_rows = 1, .rows = &row});
    const results_row_t *got = results_find(r, "GET", "/");
    cr_assert(phases_any(r));
    cr_assert_eq(phases_count(got), 2);
    /* 0 us is kept as 1 us (the histogram's lowest value): total 8001 us. */
    cr_assert_float_eq(phases_total_avg_us(got), 8001.0, 1e-9);
    double sum = 0;
    for (int p = 0; p < RESULTS_PHASE_N; p++)
        sum += phases_share(got, p);
    cr_assert_float_eq(sum, 1.0, 1e-12);
    cr_assert_float_eq(phases_share(got, RESULTS_PHASE_WAIT), 7000.0 / 8001.0, 1e-12);
    cr_assert_float_eq(phases_share(got, RESULTS_PHASE_N), 0.0, 0);
    for (int p = 0; p < RESULTS_PHASE_N; p++)
        histogram_destroy(&ph[p]);
    results_destroy(&r);
}

Test(phases, a_row_without_phases_has_no_share) {
    results_t *r = results_new();
    results_row_delta_t row = {.method = "GET", .name = "/", .requests = 3};
    results_add(r, &(results_delta_t){.n_rows = 1, .rows = &row});
    const results_row_t *got = results_find(r, "GET", "/");
    cr_assert_eq(phases_count(got), 0);
    cr_assert_float_eq(phases_share(got, RESULTS_PHASE_WAIT), 0.0, 0);
    cr_assert_float_eq(phases_total_avg_us(got), 0.0, 0);
    cr_assert_not(phases_any(r));
    results_destroy(&r);
}
