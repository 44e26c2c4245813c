/* test_percentiles: the one percentile column list (report/percentiles.h). */
#include <criterion/criterion.h>
#include <stdio.h>

#include "report/percentiles.h"

Test(percentiles, list_is_locusts) {
    const double want[] = {50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100};
    cr_assert_eq(sizeof want / sizeof want[0], PERCENTILES_N);
    for (int i = 0; i < PERCENTILES_N; i++)
        cr_expect_float_eq(PERCENTILES_VALUES[i], want[i], 1e-12);
}

Test(percentiles, labels_name_their_values) {
    for (int i = 0; i < PERCENTILES_N; i++) {
        char want[16];
        snprintf(want, sizeof want, "%g%%", PERCENTILES_VALUES[i]);
        cr_expect_str_eq(PERCENTILES_LABELS[i], want, "column %d", i);
    }
}

Test(percentiles, named_indexes_point_at_their_percentile) {
    cr_expect_float_eq(PERCENTILES_VALUES[PERCENTILES_P50], 50, 1e-12);
    cr_expect_float_eq(PERCENTILES_VALUES[PERCENTILES_P95], 95, 1e-12);
    cr_expect_float_eq(PERCENTILES_VALUES[PERCENTILES_P99], 99, 1e-12);
}
