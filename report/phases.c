/* phases: names, presence and shares of a row's phases. */
#include "report/phases.h"

#include <string.h>

static const char *const s_names[RESULTS_PHASE_N] = {"dns", "connect", "tls", "wait", "receive"};
static const char *const s_labels[RESULTS_PHASE_N] = {"DNS", "Connect", "TLS", "Wait", "Receive"};

const char *phases_name(int phase) {
    return phase >= 0 && phase < RESULTS_PHASE_N ? s_names[phase] : "";
}

const char *phases_label(int phase) {
    return phase >= 0 && phase < RESULTS_PHASE_N ? s_labels[phase] : "";
}

int phases_parse(const char *text) {
    for (int p = 0; p < RESULTS_PHASE_N; p++)
        if (strcmp(text, s_names[p]) == 0) return p;
    return -1;
}

uint64_t phases_count(const results_row_t *row) {
    /* Every phase holds one sample per measured request: the first says. */
    return histogram_count(row->phases[RESULTS_PHASE_DNS]);
}

bool phases_any(const results_t *r) {
    return phases_count(results_total(r)) > 0;
}

static uint64_t s_sum_us(const results_row_t *row) {
    uint64_t sum = 0;
    for (int p = 0; p < RESULTS_PHASE_N; p++)
        sum += histogram_sum(row->phases[p]);
    return sum;
}

double phases_share(const results_row_t *row, int phase) {
    uint64_t sum = s_sum_us(row);
    if (sum == 0 || phase < 0 || phase >= RESULTS_PHASE_N) return 0;
    return (double)histogram_sum(row->phases[phase]) / (double)sum;
}

double phases_total_avg_us(const results_row_t *row) {
    uint64_t n = phases_count(row);
    return n ? (double)s_sum_us(row) / (double)n : 0;
}
