/* test_wstats: the worker's interval stats — slots, recording, reasons,
 * snapshot rows and reset (worker/wstats.h). */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "worker/wstats.h"

static const wstats_reason_t s_refused = {"connect", "Couldn't connect to server", 0};
static const wstats_reason_t s_http503 = {"status", NULL, 503};

/* The snapshot's error row for (name, reason text), or NULL. */
static const proto_error_t *s_error(const proto_stats_t *st, const char *name, const char *text) {
    for (uint32_t i = 0; i < st->n_errors; i++) {
        if (strcmp(st->errors[i].name, name) == 0 && strcmp(st->errors[i].reason, text) == 0)
            return &st->errors[i];
    }
    return NULL;
}

Test(wstats, new_and_destroy) {
    wstats_t *ws = wstats_new();
    cr_assert_not_null(ws);
    cr_expect_eq(wstats_pending(ws), 0);
    wstats_destroy(&ws);
    cr_expect_null(ws);
    wstats_destroy(&ws);
    wstats_destroy(NULL);
}

Test(wstats, slot_is_found_again_and_strings_are_copied) {
    wstats_t *ws = wstats_new();
    char method[] = "GET", name[] = "/a";
    int a = wstats_slot(ws, method, name);
    method[0] = 'P';
    name[1] = 'b';
    cr_expect_eq(wstats_slot(ws, "GET", "/a"), a);
    int b = wstats_slot(ws, "POST", "/a");
    int c = wstats_slot(ws, "GET", "/b");
    cr_expect_neq(a, b);
    cr_expect_neq(a, c);
    cr_expect_neq(b, c);
    /* Many slots: growth keeps earlier indexes. */
    for (int i = 0; i < 100; i++) {
        char n[16];
        snprintf(n, sizeof n, "/n%d", i);
        wstats_slot(ws, "GET", n);
    }
    cr_expect_eq(wstats_slot(ws, "GET", "/a"), a);
    cr_expect_eq(wstats_slot(ws, "POST", "/a"), b);
    wstats_destroy(&ws);
}

Test(wstats, record_success) {
    wstats_t *ws = wstats_new();
    int s = wstats_slot(ws, "GET", "/");
    wstats_record(ws, s, 1000, 10, NULL);
    wstats_record(ws, s, 3000, 20, NULL);
    wstats_record(ws, s, 2000, 30, NULL);
    cr_expect_eq(wstats_pending(ws), 3);
    proto_stats_t st = {0};
    wstats_snapshot(ws, &st);
    cr_assert_eq(st.n_stats, 1);
    const proto_stat_t *row = &st.stats[0];
    cr_expect_str_eq(row->method, "GET");
    cr_expect_str_eq(row->name, "/");
    cr_expect_eq(row->requests, 3);
    cr_expect_eq(row->failures, 0);
    cr_expect_eq(row->bytes, 60);
    cr_assert_not_null(row->latency);
    cr_expect_eq(histogram_count(row->latency), 3);
    cr_expect_eq(histogram_min(row->latency), 1000);
    cr_expect_eq(histogram_max(row->latency), 3000);
    cr_expect_eq(histogram_sum(row->latency), 6000);
    cr_expect_eq(st.n_errors, 0);
    wstats_snapshot_done(ws, &st);
    wstats_destroy(&ws);
}

Test(wstats, record_failure_counts_in_latency_too) {
    wstats_t *ws = wstats_new();
    int s = wstats_slot(ws, "GET", "/x");
    wstats_record(ws, s, 500, 0, &s_refused);
    wstats_record(ws, s, 700, 5, NULL);
    proto_stats_t st = {0};
    wstats_snapshot(ws, &st);
    cr_assert_eq(st.n_stats, 1);
    cr_expect_eq(st.stats[0].requests, 2);
    cr_expect_eq(st.stats[0].failures, 1);
    cr_expect_eq(histogram_count(st.stats[0].latency), 2);
    cr_assert_eq(st.n_errors, 1);
    cr_expect_str_eq(st.errors[0].method, "GET");
    cr_expect_str_eq(st.errors[0].name, "/x");
    cr_expect_str_eq(st.errors[0].reason, "connect: Couldn't connect to server");
    cr_expect_eq(st.errors[0].count, 1);
    wstats_snapshot_done(ws, &st);
    wstats_destroy(&ws);
}

Test(wstats, same_reasons_aggregate_per_slot) {
    wstats_t *ws = wstats_new();
    int a = wstats_slot(ws, "GET", "/a");
    int b = wstats_slot(ws, "GET", "/b");
    for (int i = 0; i < 3; i++) wstats_record(ws, a, 100, 0, &s_http503);
    for (int i = 0; i < 2; i++) wstats_record(ws, a, 100, 0, &s_refused);
    /* An equal reason in a different struct instance still aggregates. */
    wstats_reason_t again = {"status", NULL, 503};
    wstats_record(ws, b, 100, 0, &again);
    wstats_record(ws, a, 100, 0, &again);
    proto_stats_t st = {0};
    wstats_snapshot(ws, &st);
    cr_assert_eq(st.n_errors, 3);
    const proto_error_t *e;
    cr_assert_not_null(e = s_error(&st, "/a", "HTTP 503"));
    cr_expect_eq(e->count, 4);
    cr_assert_not_null(e = s_error(&st, "/a", "connect: Couldn't connect to server"));
    cr_expect_eq(e->count, 2);
    cr_assert_not_null(e = s_error(&st, "/b", "HTTP 503"));
    cr_expect_eq(e->count, 1);
    cr_expect_eq(st.stats[0].failures + st.stats[1].failures, 7);
    wstats_snapshot_done(ws, &st);
    wstats_destroy(&ws);
}

Test(wstats, snapshot_has_only_non_empty_rows) {
    wstats_t *ws = wstats_new();
    wstats_slot(ws, "GET", "/idle");
    int busy = wstats_slot(ws, "POST", "/busy");
    wstats_slot(ws, "GET", "/idle2");
    wstats_record(ws, busy, 42, 1, NULL);
    proto_stats_t st = {0};
    wstats_snapshot(ws, &st);
    cr_assert_eq(st.n_stats, 1);
    cr_expect_str_eq(st.stats[0].method, "POST");
    cr_expect_str_eq(st.stats[0].name, "/busy");
    wstats_snapshot_done(ws, &st);
    wstats_destroy(&ws);
}

Test(wstats, empty_interval_snapshots_nothing) {
    wstats_t *ws = wstats_new();
    wstats_slot(ws, "GET", "/");
    proto_stats_t st = {0};
    wstats_snapshot(ws, &st);
    cr_expect_eq(st.n_stats, 0);
    cr_expect_eq(st.n_errors, 0);
    wstats_snapshot_done(ws, &st);
    wstats_destroy(&ws);
}

Test(wstats, snapshot_done_resets_the_interval) {
    wstats_t *ws = wstats_new();
    int s = wstats_slot(ws, "GET", "/");
    wstats_record(ws, s, 100, 10, &s_http503);
    proto_stats_t st = {.run_id = 7, .seq = 3, .users = 12};
    wstats_snapshot(ws, &st);
    cr_expect_eq(st.run_id, 7, "other fields are untouched");
    cr_expect_eq(st.seq, 3);
    cr_expect_eq(st.users, 12);
    wstats_snapshot_done(ws, &st);
    cr_expect_null(st.stats);
    cr_expect_null(st.errors);
    cr_expect_eq(st.n_stats, 0);
    cr_expect_eq(st.n_errors, 0);
    cr_expect_eq(st.run_id, 7);
    cr_expect_eq(wstats_pending(ws), 0);

    wstats_snapshot(ws, &st);
    cr_expect_eq(st.n_stats, 0, "nothing recorded since the reset");
    cr_expect_eq(st.n_errors, 0);
    wstats_snapshot_done(ws, &st);

    /* The next interval starts from zero, in the same slot. */
    wstats_record(ws, s, 900, 1, NULL);
    wstats_snapshot(ws, &st);
    cr_assert_eq(st.n_stats, 1);
    cr_expect_eq(st.stats[0].requests, 1);
    cr_expect_eq(st.stats[0].failures, 0);
    cr_expect_eq(st.stats[0].bytes, 1);
    cr_expect_eq(histogram_count(st.stats[0].latency), 1);
    cr_expect_eq(histogram_min(st.stats[0].latency), 900);
    cr_expect_eq(st.n_errors, 0);
    wstats_snapshot_done(ws, &st);
    wstats_destroy(&ws);
}

Test(wstats, pending_counts_all_slots_since_last_snapshot) {
    wstats_t *ws = wstats_new();
    int a = wstats_slot(ws, "GET", "/a"), b = wstats_slot(ws, "GET", "/b");
    wstats_record(ws, a, 1, 0, NULL);
    wstats_record(ws, b, 1, 0, &s_refused);
    wstats_record(ws, b, 1, 0, NULL);
    cr_expect_eq(wstats_pending(ws), 3);
    proto_stats_t st = {0};
    wstats_snapshot(ws, &st);
    cr_expect_eq(wstats_pending(ws), 3, "snapshot alone does not reset");
    wstats_snapshot_done(ws, &st);
    cr_expect_eq(wstats_pending(ws), 0);
    wstats_destroy(&ws);
}

Test(wstats, too_many_distinct_reasons_fold_into_other) {
    enum { EXTRA = 44, DISTINCT = WSTATS_MAX_REASONS + EXTRA };
    wstats_t *ws = wstats_new();
    int s = wstats_slot(ws, "GET", "/");
    /* Distinct reasons: HTTP statuses 1000, 1001, ... (any int works as a reason). */
    for (int i = 0; i < DISTINCT; i++) {
        wstats_reason_t why = {"status", NULL, 1000 + i};
        wstats_record(ws, s, 10, 0, &why);
    }
    /* A reason already tracked still counts in its own row when the table is full. */
    wstats_reason_t first = {"status", NULL, 1000};
    wstats_record(ws, s, 10, 0, &first);
    proto_stats_t st = {0};
    wstats_snapshot(ws, &st);
    cr_assert_eq(st.n_errors, WSTATS_MAX_REASONS + 1);
    uint64_t total = 0;
    for (uint32_t i = 0; i < st.n_errors; i++) total += st.errors[i].count;
    cr_expect_eq(total, DISTINCT + 1);
    const proto_error_t *other = &st.errors[st.n_errors - 1];
    cr_expect_eq(strncmp(other->reason, "other", 5), 0, "got '%s'", other->reason);
    cr_expect_eq(other->count, EXTRA);
    const proto_error_t *e = s_error(&st, "/", "HTTP 1000");
    cr_assert_not_null(e);
    cr_expect_eq(e->count, 2);
    cr_expect_eq(st.stats[0].failures, DISTINCT + 1);
    wstats_snapshot_done(ws, &st);

    /* The fold-over row is reset with the interval. */
    wstats_record(ws, s, 10, 0, &s_refused);
    wstats_snapshot(ws, &st);
    cr_assert_eq(st.n_errors, 1);
    cr_expect_str_eq(st.errors[0].reason, "connect: Couldn't connect to server");
    wstats_snapshot_done(ws, &st);
    wstats_destroy(&ws);
}

Test(wstats, snapshot_encodes_and_decodes) {
    /* Usage: a worker's report interval — snapshot, encode as STATS, done. */
    wstats_t *ws = wstats_new();
    int a = wstats_slot(ws, "GET", "/a");
    int b = wstats_slot(ws, "POST", "/b");
    for (uint64_t i = 1; i <= 100; i++) wstats_record(ws, a, i * 100, 2, NULL);
    wstats_record(ws, b, 5000, 0, &s_http503);
    proto_msg_t m = {.type = PROTO_STATS, .u.stats = {.run_id = 1, .seq = 0, .users = 3}};
    wstats_snapshot(ws, &m.u.stats);
    char *buf = NULL;
    size_t bytes = 0;
    cr_assert_eq(proto_encode(&m, &buf, &bytes), 0);
    wstats_snapshot_done(ws, &m.u.stats);

    proto_msg_t back;
    cr_assert_eq(proto_decode(buf, bytes, &back), 0);
    cr_assert_eq(back.type, PROTO_STATS);
    cr_assert_eq(back.u.stats.n_stats, 2);
    cr_expect_str_eq(back.u.stats.stats[0].name, "/a");
    cr_expect_eq(back.u.stats.stats[0].requests, 100);
    cr_expect_eq(back.u.stats.stats[0].bytes, 200);
    cr_expect_eq(histogram_count(back.u.stats.stats[0].latency), 100);
    cr_expect_eq(histogram_max(back.u.stats.stats[0].latency), 10000);
    cr_expect_eq(back.u.stats.stats[1].failures, 1);
    cr_assert_eq(back.u.stats.n_errors, 1);
    cr_expect_str_eq(back.u.stats.errors[0].reason, "HTTP 503");
    proto_msg_fini(&back);
    free(buf);
    wstats_destroy(&ws);
}

Test(wstats, metrics_are_kept_per_slot_and_reset_per_interval) {
    wstats_t *ws = wstats_new();
    int a = wstats_slot(ws, "GET", "/a");
    wstats_record(ws, a, 1000, 10, NULL);
    wstats_record_metric(ws, a, "db", 2, 12300);
    wstats_record_metric(ws, a, "db", 2, 15000);
    wstats_record_metric(ws, a, "queries", 7, 3000);
    proto_stats_t st = {0};
    wstats_snapshot(ws, &st);
    cr_assert_eq(st.n_stats, 1);
    cr_assert_eq(st.stats[0].n_metrics, 2);
    cr_expect_str_eq(st.stats[0].metrics[0].name, "db");
    cr_expect_eq(histogram_count(st.stats[0].metrics[0].values), 2);
    cr_expect_eq(histogram_max(st.stats[0].metrics[0].values), 15000);
    cr_expect_str_eq(st.stats[0].metrics[1].name, "queries");
    cr_expect_eq(histogram_min(st.stats[0].metrics[1].values), 3000);
    wstats_snapshot_done(ws, &st);
    wstats_record(ws, a, 1000, 10, NULL);
    wstats_snapshot(ws, &st);
    cr_expect_eq(st.stats[0].n_metrics, 0, "an interval without metrics sends none");
    wstats_snapshot_done(ws, &st);
    wstats_destroy(&ws);
}

Test(wstats, metric_names_are_bounded) {
    wstats_t *ws = wstats_new();
    int a = wstats_slot(ws, "GET", "/a");
    wstats_record(ws, a, 1000, 10, NULL);
    char name[8];
    for (int i = 0; i < WSTATS_MAX_METRICS + 5; i++) {
        int n = snprintf(name, sizeof name, "m%d", i);
        wstats_record_metric(ws, a, name, (size_t)n, 1000);
    }
    char longname[100];
    memset(longname, 'x', sizeof longname);
    wstats_record_metric(ws, a, longname, sizeof longname, 1000); /* dropped: table full */
    proto_stats_t st = {0};
    wstats_snapshot(ws, &st);
    cr_expect_eq(st.stats[0].n_metrics, WSTATS_MAX_METRICS);
    wstats_snapshot_done(ws, &st);
    wstats_destroy(&ws);
}

Test(wstats, messages_are_kept_once_per_text_for_the_run) {
    wstats_t *ws = wstats_new();
    char buf[64];
    strcpy(buf, "SSL certificate problem: self-signed certificate");
    const char *a = wstats_message(ws, buf, "fallback");
    cr_expect_neq(a, buf, "a copy");
    cr_expect_str_eq(a, buf);
    strcpy(buf, "SSL: no alternative certificate subject name matches");
    const char *b = wstats_message(ws, buf, "fallback");
    cr_expect_neq(a, b);
    strcpy(buf, "SSL certificate problem: self-signed certificate");
    cr_expect_eq(wstats_message(ws, buf, "fallback"), a, "the same text, the same pointer");
    /* Reasons are told apart by pointer: the same message counts in one row. */
    int s = wstats_slot(ws, "GET", "/");
    wstats_record(ws, s, 10, 0, &(wstats_reason_t){"tls", a, 0});
    wstats_record(ws, s, 10, 0, &(wstats_reason_t){"tls", wstats_message(ws, buf, "x"), 0});
    proto_stats_t st = {0};
    wstats_snapshot(ws, &st);
    cr_assert_eq(st.n_errors, 1);
    cr_expect_eq(st.errors[0].count, 2);
    cr_expect_str_eq(st.errors[0].reason, "tls: SSL certificate problem: self-signed certificate");
    wstats_snapshot_done(ws, &st);
    wstats_destroy(&ws);
}

Test(wstats, messages_beyond_the_limit_give_the_fallback) {
    wstats_t *ws = wstats_new();
    char buf[32];
    for (int i = 0; i < WSTATS_MAX_MESSAGES; i++) {
        snprintf(buf, sizeof buf, "message %d", i);
        cr_expect_neq(wstats_message(ws, buf, "fallback"), (const char *)"fallback");
    }
    const char *fallback = "curl's generic text";
    cr_expect_eq(wstats_message(ws, "one more", fallback), fallback);
    cr_expect_str_eq(wstats_message(ws, "message 3", fallback), "message 3",
                     "kept ones still found");
    wstats_destroy(&ws);
}

Test(wstats, http_versions_are_counted_per_slot_and_reset_per_interval) {
    wstats_t *ws = wstats_new();
    int a = wstats_slot(ws, "GET", "/a"), b = wstats_slot(ws, "GET", "/b");
    wstats_note_asked(ws, a, PROTO_ASKED_2);
    wstats_note_asked(ws, a, PROTO_ASKED_2);
    wstats_note_asked(ws, b, PROTO_ASKED_2);
    wstats_note_asked(ws, b, PROTO_ASKED_1_1);
    for (int i = 0; i < 3; i++) {
        wstats_record(ws, a, 10, 0, NULL);
        wstats_record_http(ws, a, i == 0 ? CURL_HTTP_VERSION_1_1 : CURL_HTTP_VERSION_2_0);
    }
    wstats_record(ws, b, 10, 0, &(wstats_reason_t){"connect", "refused", 0});
    wstats_record_http(ws, b, 0); /* no response: counted nowhere */
    wstats_record(ws, b, 10, 0, NULL);
    wstats_record_http(ws, b, CURL_HTTP_VERSION_1_0);
    wstats_record(ws, b, 10, 0, NULL);
    wstats_record_http(ws, b, CURL_HTTP_VERSION_3);
    proto_stats_t st = {0};
    wstats_snapshot(ws, &st);
    cr_assert_eq(st.n_stats, 2);
    const uint64_t want_a[PROTO_HTTP_N] = {0, 1, 2, 0}, want_b[PROTO_HTTP_N] = {1, 0, 0, 1};
    cr_expect_arr_eq(st.stats[0].http_versions, want_a, sizeof want_a);
    cr_expect_arr_eq(st.stats[1].http_versions, want_b, sizeof want_b);
    cr_expect_eq(st.stats[0].http_asked, PROTO_ASKED_2);
    cr_expect_eq(st.stats[1].http_asked, PROTO_ASKED_NONE, "its requests differ");
    /* What the wire carries decodes back (a sum above requests would be refused). */
    proto_msg_t m = {.type = PROTO_STATS, .u.stats = st}, out;
    char *buf;
    size_t len;
    cr_assert_eq(proto_encode(&m, &buf, &len), PROTO_OK);
    cr_assert_eq(proto_decode(buf, len, &out), PROTO_OK);
    cr_expect_arr_eq(out.u.stats.stats[1].http_versions, want_b, sizeof want_b);
    proto_msg_fini(&out);
    free(buf);
    wstats_snapshot_done(ws, &st);
    wstats_record(ws, a, 10, 0, NULL);
    wstats_snapshot(ws, &st);
    const uint64_t zero[PROTO_HTTP_N] = {0};
    cr_expect_arr_eq(st.stats[0].http_versions, zero, sizeof zero, "reset with the interval");
    cr_expect_eq(st.stats[0].http_asked, PROTO_ASKED_2, "what was asked stays");
    wstats_snapshot_done(ws, &st);
    wstats_destroy(&ws);
}

/* Phases, new connections and wire bytes travel in the slot's row, then reset. */
Test(wstats, transfers_fill_phases_connections_and_wire_bytes) {
    wstats_t *ws = wstats_new();
    int a = wstats_slot(ws, "GET", "/a");
    int b = wstats_slot(ws, "GET", "/b");
    const uint64_t first[PROTO_PHASE_N] = {20, 300, 4000, 50000, 600};
    const uint64_t second[PROTO_PHASE_N] = {10, 0, 0, 70000, 200}; /* reused connection */
    wstats_record(ws, a, 55000, 100, NULL);
    wstats_record_transfer(ws, a, first, 1, 350);
    wstats_record(ws, a, 71000, 100, NULL);
    wstats_record_transfer(ws, a, second, 0, 350);
    wstats_record(ws, b, 10, 0, &s_refused); /* never sent: no phases */
    proto_stats_t st = {0};
    wstats_snapshot(ws, &st);
    cr_assert_eq(st.n_stats, 2);
    const proto_stat_t *r = &st.stats[0];
    cr_assert_str_eq(r->name, "/a");
    cr_assert_eq(r->connects, 1);
    cr_assert_eq(r->wire_bytes, 700);
    for (int p = 0; p < PROTO_PHASE_N; p++) {
        cr_assert_eq(histogram_count(r->phases[p]), 2);
        /* 0 us is kept as 1 us, the histogram's lowest value. */
        uint64_t want = (first[p] ? first[p] : 1) + (second[p] ? second[p] : 1);
        cr_assert_eq(histogram_sum(r->phases[p]), want, "phase %d", p);
    }
    cr_assert_eq(histogram_count(st.stats[1].phases[PROTO_PHASE_DNS]), 0);
    cr_assert_eq(st.stats[1].connects, 0);
    wstats_snapshot_done(ws, &st);
    wstats_record(ws, a, 10, 0, NULL);
    wstats_snapshot(ws, &st);
    cr_assert_eq(st.stats[0].connects, 0);
    cr_assert_eq(st.stats[0].wire_bytes, 0);
    cr_assert_eq(histogram_count(st.stats[0].phases[PROTO_PHASE_WAIT]), 0);
    wstats_snapshot_done(ws, &st);
    wstats_destroy(&ws);
}
