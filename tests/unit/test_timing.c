/* test_timing: libcurl's cumulative timings split into phases that add up
 * to curl's total (worker/timing.h), with made-up timings: a new plain
 * connection, a new TLS one, a reused one, redirects, and transfers that
 * ended early. */
#include <criterion/criterion.h>

#include "worker/timing.h"

static uint64_t s_sum(const uint64_t ph[PROTO_PHASE_N]) {
    uint64_t s = 0;
    for (int p = 0; p < PROTO_PHASE_N; p++)
        s += ph[p];
    return s;
}

static void s_expect(const timing_curl_t *t, uint64_t dns, uint64_t connect, uint64_t tls,
                     uint64_t wait, uint64_t receive) {
    uint64_t ph[PROTO_PHASE_N];
    timing_split(t, ph);
    cr_expect_eq(ph[PROTO_PHASE_DNS], dns, "dns %lu", (unsigned long)ph[PROTO_PHASE_DNS]);
    cr_expect_eq(ph[PROTO_PHASE_CONNECT], connect, "connect %lu",
                 (unsigned long)ph[PROTO_PHASE_CONNECT]);
    cr_expect_eq(ph[PROTO_PHASE_TLS], tls, "tls %lu", (unsigned long)ph[PROTO_PHASE_TLS]);
    cr_expect_eq(ph[PROTO_PHASE_WAIT], wait, "wait %lu", (unsigned long)ph[PROTO_PHASE_WAIT]);
    cr_expect_eq(ph[PROTO_PHASE_RECEIVE], receive, "receive %lu",
                 (unsigned long)ph[PROTO_PHASE_RECEIVE]);
    cr_assert_eq(s_sum(ph), t->total_us, "the phases add up to curl's total");
}

Test(timing, new_plain_connection) {
    /* The numbers curl -w gave for a first request on 127.0.0.1 (7.88). */
    timing_curl_t t = {.namelookup_us = 20,
                       .connect_us = 17438,
                       .pretransfer_us = 17514,
                       .starttransfer_us = 17725,
                       .total_us = 17774};
    s_expect(&t, 20, 17418, 0, 287, 49);
}

Test(timing, new_tls_connection) {
    timing_curl_t t = {.namelookup_us = 1000,
                       .connect_us = 1500,
                       .appconnect_us = 9500,
                       .pretransfer_us = 9600,
                       .starttransfer_us = 59600,
                       .total_us = 60000,
                       .tls = true};
    s_expect(&t, 1000, 500, 8000, 50100, 400);
}

Test(timing, reused_connection_has_no_connect_nor_tls) {
    /* libcurl 7.88 on reuse: a few us of name lookup, CONNECT and APPCONNECT 0. */
    timing_curl_t t = {.namelookup_us = 15,
                       .pretransfer_us = 26,
                       .starttransfer_us = 68,
                       .total_us = 97,
                       .tls = true};
    s_expect(&t, 15, 0, 0, 53, 29);
}

Test(timing, redirect_sums_of_the_hops_still_add_up) {
    /* Two hops: every point but the total is the sum over the hops (curl -L,
     * 7.88: namelookup 51, connect 3042, pretransfer 3331, starttransfer 3359,
     * total 3452, redirect 3296). */
    timing_curl_t t = {.namelookup_us = 51,
                       .connect_us = 3042,
                       .pretransfer_us = 3331,
                       .starttransfer_us = 3359,
                       .total_us = 3452};
    s_expect(&t, 51, 2991, 0, 317, 93);
    /* A second hop's reused https connection: APPCONNECT (hop 1 only) below
     * CONNECT (both hops): TLS counts 0 rather than going back. */
    timing_curl_t u = {.namelookup_us = 40,
                       .connect_us = 900,
                       .appconnect_us = 700,
                       .pretransfer_us = 950,
                       .starttransfer_us = 5000,
                       .total_us = 6000,
                       .tls = true};
    s_expect(&u, 40, 860, 0, 4100, 1000);
}

Test(timing, transfers_that_ended_early_give_the_rest_to_their_phase) {
    /* Refused: resolved, never connected. */
    timing_curl_t refused = {.namelookup_us = 30, .total_us = 250};
    s_expect(&refused, 30, 220, 0, 0, 0);
    /* A failed handshake: connected, TLS never done. */
    timing_curl_t handshake = {
        .namelookup_us = 30, .connect_us = 100, .total_us = 900, .tls = true};
    s_expect(&handshake, 30, 70, 800, 0, 0);
    /* Plain HTTP, timed out waiting for the first byte. */
    timing_curl_t waited = {
        .namelookup_us = 30, .connect_us = 100, .pretransfer_us = 120, .total_us = 2000000};
    s_expect(&waited, 30, 70, 0, 1999900, 0);
    /* Reused https connection, no answer: waiting, not TLS. */
    timing_curl_t reused = {.namelookup_us = 5, .pretransfer_us = 9, .total_us = 700, .tls = true};
    s_expect(&reused, 5, 0, 0, 695, 0);
    /* A name that did not resolve: all DNS. */
    timing_curl_t unresolved = {.total_us = 4000};
    s_expect(&unresolved, 4000, 0, 0, 0, 0);
    /* Cut off mid-body. */
    timing_curl_t cut = {.namelookup_us = 5,
                         .connect_us = 50,
                         .pretransfer_us = 60,
                         .starttransfer_us = 1000,
                         .total_us = 30000};
    s_expect(&cut, 5, 45, 0, 950, 29000);
}

Test(timing, nothing_measured_is_all_zero) {
    timing_curl_t t = {0};
    s_expect(&t, 0, 0, 0, 0, 0);
}
