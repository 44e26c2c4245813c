/* percentiles: the percentile column list. */
#include "report/percentiles.h"

const double PERCENTILES_VALUES[PERCENTILES_N] = {50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100};

const char *const PERCENTILES_LABELS[PERCENTILES_N] = {
    "50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%"};
