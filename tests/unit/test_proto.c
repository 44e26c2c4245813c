/* test_proto: round trips of every message, and decoding of hostile bytes (proto/proto.h).
 *
 * Frames the encoder would never produce are written by hand with the small
 * msgpack writer below (tests do not include msgpack.h). Leaks on error paths
 * are caught by the ASan build (BARRAGE_SANITIZE=ON). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/proto.h"

/* Criterion runs each test in a child whose exit-time leak report does not
 * fail the test, so under ASan the tests ask LeakSanitizer themselves. */
#if defined(__SANITIZE_ADDRESS__)
#define S_HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define S_HAVE_LSAN 1
#endif
#endif

#ifdef S_HAVE_LSAN
#include <sanitizer/lsan_interface.h>
static void s_no_leaks(void) {
    cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked (details on stderr)");
}
#else
static void s_no_leaks(void) {}
#endif

/* ---- a minimal msgpack writer for hand-made frames ---------------------- */

typedef struct {
    uint8_t *p;
    size_t len;
    size_t cap;
} wbuf_t;

static void w_raw(wbuf_t *w, const void *data, size_t n) {
    if (w->len + n > w->cap) {
        w->cap = (w->len + n) * 2 + 64;
        w->p = realloc(w->p, w->cap);
        cr_assert_not_null(w->p);
    }
    if (n) memcpy(w->p + w->len, data, n);
    w->len += n;
}

static void w_u8(wbuf_t *w, uint8_t b) {
    w_raw(w, &b, 1);
}

static void w_be(wbuf_t *w, uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; i--)
        w_u8(w, (uint8_t)(v >> (8 * i)));
}

static void w_head(wbuf_t *w, uint8_t fix, uint8_t op16, uint32_t n, uint32_t fix_max) {
    if (n <= fix_max) {
        w_u8(w, (uint8_t)(fix | n));
    } else if (n <= 0xffff) {
        w_u8(w, op16);
        w_be(w, n, 2);
    } else {
        w_u8(w, (uint8_t)(op16 + 1));
        w_be(w, n, 4);
    }
}

static void w_map(wbuf_t *w, uint32_t n) {
    w_head(w, 0x80, 0xde, n, 15);
}

static void w_array(wbuf_t *w, uint32_t n) {
    w_head(w, 0x90, 0xdc, n, 15);
}

static void w_strn(wbuf_t *w, const char *s, size_t n) {
    if (n <= 31) {
        w_u8(w, (uint8_t)(0xa0 | n));
    } else {
        w_u8(w, 0xdb);
        w_be(w, n, 4);
    }
    w_raw(w, s, n);
}

static void w_str(wbuf_t *w, const char *s) {
    w_strn(w, s, strlen(s));
}

static void w_bin(wbuf_t *w, const void *d, size_t n) {
    w_u8(w, 0xc6);
    w_be(w, n, 4);
    w_raw(w, d, n);
}

static void w_uint(wbuf_t *w, uint64_t v) {
    if (v < 128) {
        w_u8(w, (uint8_t)v);
    } else {
        w_u8(w, 0xcf);
        w_be(w, v, 8);
    }
}

static void w_f64(wbuf_t *w, double d) {
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    w_u8(w, 0xcb);
    w_be(w, bits, 8);
}

static void w_kv(wbuf_t *w, const char *key, uint64_t v) {
    w_str(w, key);
    w_uint(w, v);
}

/* {v: version, t: type, ...} with n_body more entries to follow. */
static void w_msg(wbuf_t *w, uint64_t version, uint64_t type, uint32_t n_body) {
    w_map(w, n_body + 2);
    w_kv(w, "v", version);
    w_kv(w, "t", type);
}

static int w_decode(wbuf_t *w, proto_msg_t *m) {
    int rc = proto_decode(w->p, w->len, m);
    free(w->p);
    memset(w, 0, sizeof *w);
    return rc;
}

/* An empty histogram as the encoder writes it. */
static void w_empty_hist(wbuf_t *w) {
    w_map(w, 5);
    w_kv(w, "c", 0);
    w_kv(w, "lo", 0);
    w_kv(w, "hi", 0);
    w_kv(w, "s", 0);
    w_str(w, "b");
    w_array(w, 0);
}

/* A stats row's "ph" (every phase empty), "nc" and "wb" (0): three entries. */
static void w_phases(wbuf_t *w) {
    w_str(w, "ph");
    w_array(w, PROTO_PHASE_N);
    for (int p = 0; p < PROTO_PHASE_N; p++)
        w_empty_hist(w);
    w_kv(w, "nc", 0);
    w_kv(w, "wb", 0);
}

/* A stats row's "hv" (all of its q requests in HTTP/1.1) and "ha" (1.1),
 * and w_phases: five entries. */
static void w_http(wbuf_t *w, uint64_t requests) {
    w_str(w, "hv");
    w_array(w, PROTO_HTTP_N);
    for (int v = 0; v < PROTO_HTTP_N; v++)
        w_uint(w, v == PROTO_HTTP_1_1 ? requests : 0);
    w_kv(w, "ha", PROTO_ASKED_1_1);
    w_phases(w);
}

/* splitmix64, seeded so that failures reproduce. */
static uint64_t s_rand(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Byte-wise on purpose: decode and fini memset the whole struct, padding included. */
static bool s_is_zero(const proto_msg_t *m) {
    static const proto_msg_t zero;
    return memcmp(m, &zero, sizeof zero) == 0; // NOLINT(bugprone-suspicious-memory-comparison)
}

/* ---- sample messages with every field set -------------------------------- */

static histogram_t *s_hist(uint64_t seed, int n) {
    histogram_t *h = histogram_new();
    for (int i = 0; i < n; i++)
        histogram_record(h, 1 + s_rand(&seed) % 2000000);
    return h;
}

static void s_fill_stats(proto_msg_t *m, proto_type_t type) {
    memset(m, 0, sizeof *m);
    m->type = type;
    proto_stats_t *b = &m->u.stats;
    b->run_id = 7;
    b->seq = 42;
    b->users = 250;
    b->dropped = 5000000000ull;
    b->n_stats = 3;
    b->stats = calloc(3, sizeof *b->stats);
    b->stats[0] = (proto_stat_t){.method = strdup("GET"),
                                 .name = strdup("/"),
                                 .requests = 1000,
                                 .failures = 3,
                                 .bytes = 123456789,
                                 .http_versions = {1, 600, 397, 0}, /* 2 without a response */
                                 .http_asked = PROTO_ASKED_2,
                                 .latency = s_hist(1, 1000),
                                 .connects = 7,
                                 .wire_bytes = 9000000000ull};
    /* Where the time went: 998 requests reached curl, every phase counts each. */
    for (int p = 0; p < PROTO_PHASE_N; p++)
        b->stats[0].phases[p] = s_hist(10u + (uint64_t)p, 998);
    b->stats[1] = (proto_stat_t){.method = strdup("POST"),
                                 .name = strdup("/login é"),
                                 .requests = 1,
                                 .failures = 1,
                                 .http_versions = {0, 0, 0, 1},
                                 .http_asked = PROTO_ASKED_H2C,
                                 .latency = s_hist(2, 1)};
    b->stats[2] = (proto_stat_t){.method = strdup("GET"), .name = strdup("/empty")};
    /* Server-Timing metrics on the first row. */
    b->stats[0].n_metrics = 2;
    b->stats[0].metrics = calloc(2, sizeof *b->stats[0].metrics);
    b->stats[0].metrics[0] = (proto_metric_t){strdup("db"), s_hist(3, 500)};
    b->stats[0].metrics[1] = (proto_metric_t){strdup("queries"), s_hist(4, 20)};
    histogram_record(b->stats[1].latency, HISTOGRAM_HIGHEST_US);
    b->n_errors = 2;
    b->errors = calloc(2, sizeof *b->errors);
    b->errors[0] = (proto_error_t){strdup("GET"), strdup("/"), strdup("HTTP 503"), 3};
    b->errors[1] = (proto_error_t){strdup("POST"), strdup("/login é"),
                                   strdup("connect: Connection refused"), UINT64_MAX};
}

static const char s_bytes[] = {'i', 'd', ',', 'n', '\n', '\0', '\xff', '\x80', '1', '\0'};

static void s_fill_run(proto_msg_t *m, bool with_host) {
    memset(m, 0, sizeof *m);
    m->type = PROTO_RUN;
    proto_run_t *b = &m->u.run;
    b->run_id = 3;
    b->tls_no_verify = with_host ? 1 : 0;
    b->scenario_name = strdup("load.yaml");
    b->scenario_text = strdup("host: http://x\nusers: 10\n");
    b->scenario_bytes = strlen(b->scenario_text);
    b->host_override = with_host ? strdup("http://127.0.0.1:8080") : NULL;
    b->worker_index = 1;
    b->worker_count = 4;
    b->first_user_id = 1234567890123ull;
    b->n_classes = 3;
    b->users_per_class = calloc(3, sizeof *b->users_per_class);
    b->users_per_class[0] = 10;
    b->users_per_class[1] = 0;
    b->users_per_class[2] = UINT32_MAX;
    b->spawn_rate = 2.5;
    b->arrival_rate = 0.125;
    b->max_users = 100;
    b->duration_ms = 86400000ull * 365;
    b->report_interval_ms = 1000;
    b->heartbeat_interval_ms = 500;
    b->n_files = 2;
    b->files = calloc(2, sizeof *b->files);
    b->files[0].name = strdup("users.csv");
    b->files[0].data = malloc(sizeof s_bytes);
    memcpy(b->files[0].data, s_bytes, sizeof s_bytes);
    b->files[0].data_bytes = sizeof s_bytes;
    b->files[1].name = strdup("empty.csv");
}

static void s_fill_users(proto_msg_t *m) {
    memset(m, 0, sizeof *m);
    m->type = PROTO_USERS;
    proto_users_t *b = &m->u.users;
    b->run_id = 11;
    b->n_classes = 3;
    b->users_per_class = calloc(3, sizeof *b->users_per_class);
    b->users_per_class[0] = 7;
    b->users_per_class[2] = UINT32_MAX;
    b->spawn_rate = 1.5;
    b->first_user_id = 10000000000ull;
    b->n_user_ids = 12;
    b->arrival_rate = 0.25;
    b->max_users = 40;
}

/* One sample of each type; the caller finis it. */
static void s_fill(proto_msg_t *m, proto_type_t type) {
    memset(m, 0, sizeof *m);
    m->type = type;
    switch (type) {
    case PROTO_HELLO:
        m->u.hello = (proto_hello_t){strdup("host-1234-5"), strdup("loadgen-01"), 1234, 16};
        break;
    case PROTO_WELCOME:
        m->u.welcome.worker_index = 3;
        break;
    case PROTO_REJECT:
        m->u.reject.reason = strdup("protocol version 2 expected");
        break;
    case PROTO_RUN:
        s_fill_run(m, true);
        break;
    case PROTO_STATS:
    case PROTO_FINAL:
        s_fill_stats(m, type);
        break;
    case PROTO_HEARTBEAT:
        m->u.heartbeat = (proto_heartbeat_t){9, 77, {.cpu_permille = 935, .rss_kib = 1ull << 33,
                                                     .connections = 4000, .lag_us = 12500}};
        break;
    case PROTO_STOP:
        m->u.stop.run_id = 9;
        break;
    case PROTO_USERS:
        s_fill_users(m);
        break;
    default:
        break;
    }
}

static void s_encode(const proto_msg_t *m, char **buf, size_t *len) {
    int rc = proto_encode(m, buf, len);
    cr_assert_eq(rc, PROTO_OK, "encode %s: %s", proto_type_name(m->type), proto_strerror(rc));
    cr_assert_not_null(*buf);
    cr_assert_gt(*len, 0);
}

/* ---- equality ------------------------------------------------------------ */

static void s_assert_hist_eq(const histogram_t *want, const histogram_t *got) {
    cr_assert_not_null(got, "a decoded row always has a histogram");
    if (!want) {
        cr_assert_eq(histogram_count(got), 0);
        return;
    }
    cr_assert_eq(histogram_count(got), histogram_count(want));
    cr_assert_eq(histogram_min(got), histogram_min(want));
    cr_assert_eq(histogram_max(got), histogram_max(want));
    cr_assert_eq(histogram_sum(got), histogram_sum(want));
    int32_t iw = -1, ig = -1;
    uint64_t cw = 0, cg = 0;
    bool more;
    do {
        more = histogram_next_bucket(want, &iw, &cw);
        cr_assert_eq(histogram_next_bucket(got, &ig, &cg), more);
        if (more) {
            cr_assert_eq(ig, iw);
            cr_assert_eq(cg, cw);
        }
    } while (more);
}

static void s_assert_stats_eq(const proto_stats_t *want, const proto_stats_t *got) {
    cr_assert_eq(got->run_id, want->run_id);
    cr_assert_eq(got->seq, want->seq);
    cr_assert_eq(got->users, want->users);
    cr_assert_eq(got->dropped, want->dropped);
    cr_assert_eq(got->n_stats, want->n_stats);
    for (uint32_t i = 0; i < want->n_stats; i++) {
        const proto_stat_t *w = &want->stats[i], *g = &got->stats[i];
        cr_assert_str_eq(g->method, w->method);
        cr_assert_str_eq(g->name, w->name);
        cr_assert_eq(g->requests, w->requests);
        cr_assert_eq(g->failures, w->failures);
        cr_assert_eq(g->bytes, w->bytes);
        cr_assert_arr_eq(g->http_versions, w->http_versions, sizeof w->http_versions);
        cr_assert_eq(g->http_asked, w->http_asked);
        s_assert_hist_eq(w->latency, g->latency);
        for (int p = 0; p < PROTO_PHASE_N; p++)
            s_assert_hist_eq(w->phases[p], g->phases[p]);
        cr_assert_eq(g->connects, w->connects);
        cr_assert_eq(g->wire_bytes, w->wire_bytes);
        cr_assert_eq(g->n_metrics, w->n_metrics);
        for (uint32_t k = 0; k < w->n_metrics; k++) {
            cr_assert_str_eq(g->metrics[k].name, w->metrics[k].name);
            s_assert_hist_eq(w->metrics[k].values, g->metrics[k].values);
        }
    }
    cr_assert_eq(got->n_errors, want->n_errors);
    for (uint32_t i = 0; i < want->n_errors; i++) {
        cr_assert_str_eq(got->errors[i].method, want->errors[i].method);
        cr_assert_str_eq(got->errors[i].name, want->errors[i].name);
        cr_assert_str_eq(got->errors[i].reason, want->errors[i].reason);
        cr_assert_eq(got->errors[i].count, want->errors[i].count);
    }
}

static void s_assert_run_eq(const proto_run_t *want, const proto_run_t *got) {
    cr_assert_eq(got->run_id, want->run_id);
    cr_assert_eq(got->tls_no_verify, want->tls_no_verify);
    cr_assert_str_eq(got->scenario_name, want->scenario_name);
    cr_assert_eq(got->scenario_bytes, want->scenario_bytes);
    cr_assert_arr_eq(got->scenario_text, want->scenario_text, want->scenario_bytes);
    cr_assert_eq(got->scenario_text[got->scenario_bytes], '\0');
    if (want->host_override)
        cr_assert_str_eq(got->host_override, want->host_override);
    else
        cr_assert_null(got->host_override);
    cr_assert_eq(got->worker_index, want->worker_index);
    cr_assert_eq(got->worker_count, want->worker_count);
    cr_assert_eq(got->first_user_id, want->first_user_id);
    cr_assert_eq(got->n_classes, want->n_classes);
    cr_assert_arr_eq(got->users_per_class, want->users_per_class,
                     want->n_classes * sizeof *want->users_per_class);
    cr_assert_eq(got->spawn_rate, want->spawn_rate);
    cr_assert_eq(got->arrival_rate, want->arrival_rate);
    cr_assert_eq(got->max_users, want->max_users);
    cr_assert_eq(got->duration_ms, want->duration_ms);
    cr_assert_eq(got->report_interval_ms, want->report_interval_ms);
    cr_assert_eq(got->heartbeat_interval_ms, want->heartbeat_interval_ms);
    cr_assert_eq(got->n_files, want->n_files);
    for (uint32_t i = 0; i < want->n_files; i++) {
        cr_assert_str_eq(got->files[i].name, want->files[i].name);
        cr_assert_eq(got->files[i].data_bytes, want->files[i].data_bytes);
        cr_assert_not_null(got->files[i].data);
        if (want->files[i].data_bytes)
            cr_assert_arr_eq(got->files[i].data, want->files[i].data, want->files[i].data_bytes);
        cr_assert_eq(got->files[i].data[got->files[i].data_bytes], '\0', "NUL-terminated");
    }
}

static void s_assert_users_eq(const proto_users_t *want, const proto_users_t *got) {
    cr_assert_eq(got->run_id, want->run_id);
    cr_assert_eq(got->n_classes, want->n_classes);
    cr_assert_arr_eq(got->users_per_class, want->users_per_class,
                     want->n_classes * sizeof *want->users_per_class);
    cr_assert_eq(got->spawn_rate, want->spawn_rate);
    cr_assert_eq(got->first_user_id, want->first_user_id);
    cr_assert_eq(got->n_user_ids, want->n_user_ids);
    cr_assert_eq(got->arrival_rate, want->arrival_rate);
    cr_assert_eq(got->max_users, want->max_users);
}

static void s_assert_msg_eq(const proto_msg_t *want, const proto_msg_t *got) {
    cr_assert_eq(got->type, want->type);
    cr_assert_eq(got->version, PROTO_VERSION);
    switch (want->type) {
    case PROTO_HELLO:
        cr_assert_str_eq(got->u.hello.worker_id, want->u.hello.worker_id);
        cr_assert_str_eq(got->u.hello.hostname, want->u.hello.hostname);
        cr_assert_eq(got->u.hello.pid, want->u.hello.pid);
        cr_assert_eq(got->u.hello.cpus, want->u.hello.cpus);
        break;
    case PROTO_WELCOME:
        cr_assert_eq(got->u.welcome.worker_index, want->u.welcome.worker_index);
        break;
    case PROTO_REJECT:
        cr_assert_str_eq(got->u.reject.reason, want->u.reject.reason);
        break;
    case PROTO_RUN:
        s_assert_run_eq(&want->u.run, &got->u.run);
        break;
    case PROTO_STATS:
    case PROTO_FINAL:
        s_assert_stats_eq(&want->u.stats, &got->u.stats);
        break;
    case PROTO_HEARTBEAT:
        cr_assert_eq(got->u.heartbeat.run_id, want->u.heartbeat.run_id);
        cr_assert_eq(got->u.heartbeat.users, want->u.heartbeat.users);
        cr_assert_eq(got->u.heartbeat.health.cpu_permille, want->u.heartbeat.health.cpu_permille);
        cr_assert_eq(got->u.heartbeat.health.rss_kib, want->u.heartbeat.health.rss_kib);
        cr_assert_eq(got->u.heartbeat.health.connections, want->u.heartbeat.health.connections);
        cr_assert_eq(got->u.heartbeat.health.lag_us, want->u.heartbeat.health.lag_us);
        break;
    case PROTO_STOP:
        cr_assert_eq(got->u.stop.run_id, want->u.stop.run_id);
        break;
    case PROTO_USERS:
        s_assert_users_eq(&want->u.users, &got->u.users);
        break;
    default:
        break;
    }
}

static void s_roundtrip(const proto_msg_t *in) {
    char *buf;
    size_t len;
    proto_msg_t out;
    s_encode(in, &buf, &len);
    int rc = proto_decode(buf, len, &out);
    cr_assert_eq(rc, PROTO_OK, "decode %s: %s", proto_type_name(in->type), proto_strerror(rc));
    s_assert_msg_eq(in, &out);
    /* Re-encoding the decoded message gives the same bytes. */
    char *again;
    size_t again_len;
    s_encode(&out, &again, &again_len);
    cr_assert_eq(again_len, len);
    cr_assert_arr_eq(again, buf, len);
    free(again);
    free(buf);
    proto_msg_fini(&out);
    cr_assert(s_is_zero(&out), "fini zeroes the message");
}

/* ---- round trips ---------------------------------------------------------- */

Test(proto, roundtrip_every_type) {
    for (int t = PROTO_HELLO; t < PROTO_TYPE_MAX; t++) {
        proto_msg_t m;
        s_fill(&m, (proto_type_t)t);
        s_roundtrip(&m);
        proto_msg_fini(&m);
    }
    s_no_leaks();
}

Test(proto, roundtrip_stats_rows_histograms_and_errors) {
    proto_msg_t m;
    s_fill(&m, PROTO_STATS);
    char *buf;
    size_t len;
    proto_msg_t out;
    s_encode(&m, &buf, &len);
    cr_assert_eq(proto_decode(buf, len, &out), PROTO_OK);
    s_assert_stats_eq(&m.u.stats, &out.u.stats);
    cr_assert_eq(out.u.stats.n_stats, 3);
    cr_assert_eq(histogram_count(out.u.stats.stats[0].latency), 1000);
    cr_assert_eq(histogram_max(out.u.stats.stats[1].latency), HISTOGRAM_HIGHEST_US);
    cr_assert_eq(histogram_percentile(out.u.stats.stats[0].latency, 99),
                 histogram_percentile(m.u.stats.stats[0].latency, 99));
    /* The NULL histogram of row 2 arrives as an empty one. */
    cr_assert_not_null(out.u.stats.stats[2].latency);
    cr_assert_eq(histogram_count(out.u.stats.stats[2].latency), 0);
    cr_assert_eq(out.u.stats.errors[1].count, UINT64_MAX);
    free(buf);
    proto_msg_fini(&out);
    proto_msg_fini(&m);
    s_no_leaks();
}

Test(proto, roundtrip_run_with_binary_files) {
    proto_msg_t m;
    s_fill_run(&m, true);
    s_roundtrip(&m);
    proto_msg_fini(&m);
    s_fill_run(&m, false); /* no host override: stays NULL */
    s_roundtrip(&m);
    proto_msg_fini(&m);
    s_no_leaks();
}

Test(proto, roundtrip_empty_stats_and_run) {
    proto_msg_t m = {.type = PROTO_FINAL};
    s_roundtrip(&m);
    m = (proto_msg_t){.type = PROTO_RUN};
    char *buf;
    size_t len;
    proto_msg_t out;
    s_encode(&m, &buf, &len);
    cr_assert_eq(proto_decode(buf, len, &out), PROTO_OK);
    /* NULL strings travel as "". */
    cr_assert_str_eq(out.u.run.scenario_name, "");
    cr_assert_str_eq(out.u.run.scenario_text, "");
    cr_assert_null(out.u.run.host_override);
    cr_assert_eq(out.u.run.n_files, 0);
    cr_assert_null(out.u.run.files);
    free(buf);
    proto_msg_fini(&out);
    s_no_leaks();
}

Test(proto, roundtrip_large_file) {
    proto_msg_t m;
    s_fill_run(&m, false);
    proto_file_t *f = &m.u.run.files[1];
    f->data_bytes = 3 * 1024 * 1024 + 7;
    f->data = malloc(f->data_bytes);
    uint64_t state = 11;
    for (size_t i = 0; i < f->data_bytes; i++)
        f->data[i] = (char)s_rand(&state);
    s_roundtrip(&m);
    proto_msg_fini(&m);
    s_no_leaks();
}

Test(proto, encode_refuses_unknown_type) {
    int types[] = {0, PROTO_TYPE_MAX, 99, -1};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        proto_msg_t m = {.type = (proto_type_t)types[i]};
        char *buf = (char *)&m;
        size_t len = 99;
        cr_assert_eq(proto_encode(&m, &buf, &len), PROTO_ERR_TYPE);
        cr_assert_null(buf);
        cr_assert_eq(len, 0);
    }
    s_no_leaks();
}

Test(proto, encode_refuses_beyond_limits) {
    proto_msg_t m = {.type = PROTO_STATS};
    m.u.stats.n_stats = PROTO_MAX_STATS + 1;
    m.u.stats.stats = calloc(m.u.stats.n_stats, sizeof *m.u.stats.stats);
    char *buf;
    size_t len;
    cr_assert_eq(proto_encode(&m, &buf, &len), PROTO_ERR_RANGE);
    cr_assert_null(buf);
    proto_msg_fini(&m);

    s_fill_run(&m, false);
    proto_file_t *f = &m.u.run.files[1];
    f->data_bytes = PROTO_MAX_FRAME_BYTES; /* plus the rest: just over */
    f->data = calloc(1, f->data_bytes);
    cr_assert_eq(proto_encode(&m, &buf, &len), PROTO_ERR_RANGE);
    cr_assert_null(buf);
    proto_msg_fini(&m);
    s_no_leaks();
}

/* ---- hostile input --------------------------------------------------------- */

Test(proto, every_truncation_is_refused) {
    for (int t = PROTO_HELLO; t < PROTO_TYPE_MAX; t++) {
        proto_msg_t m, out;
        char *buf;
        size_t len;
        s_fill(&m, (proto_type_t)t);
        s_encode(&m, &buf, &len);
        for (size_t cut = 0; cut < len; cut++) {
            /* A copy of exactly cut bytes, so ASan sees any read past the end. */
            char *part = malloc(cut ? cut : 1);
            memcpy(part, buf, cut);
            int rc = proto_decode(part, cut, &out);
            cr_assert_eq(rc, PROTO_ERR_MALFORMED, "%s cut at %zu/%zu: %d", proto_type_name(m.type),
                         cut, len, rc);
            cr_assert(s_is_zero(&out), "nothing left to free");
            free(part);
        }
        free(buf);
        proto_msg_fini(&m);
    }
    s_no_leaks();
}

Test(proto, trailing_bytes_are_refused) {
    proto_msg_t m = {.type = PROTO_HEARTBEAT}, out;
    char *buf;
    size_t len;
    s_encode(&m, &buf, &len);
    buf = realloc(buf, len + 1);
    buf[len] = 0x00;
    cr_assert_eq(proto_decode(buf, len + 1, &out), PROTO_ERR_MALFORMED);
    buf[len] = (char)0xc0;
    cr_assert_eq(proto_decode(buf, len + 1, &out), PROTO_ERR_MALFORMED);
    free(buf);
    s_no_leaks();
}

Test(proto, not_a_map_is_refused) {
    static const uint8_t cases[][3] = {{0x01},      {0x90}, {0xc0},
                                       {0xa1, 'v'}, {0xc1}, {0x92, 0x01, 0x02}};
    static const size_t lens[] = {1, 1, 1, 2, 1, 3};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        proto_msg_t out;
        cr_assert_eq(proto_decode(cases[i], lens[i], &out), PROTO_ERR_MALFORMED, "case %zu", i);
    }
    proto_msg_t out;
    cr_assert_eq(proto_decode(NULL, 0, &out), PROTO_ERR_MALFORMED);
    cr_assert_eq(proto_decode("", 0, &out), PROTO_ERR_MALFORMED);
    s_no_leaks();
}

/* A container header claiming 4 billion elements must not make msgpack-c
 * allocate for them (ASan aborts on such an allocation). */
Test(proto, huge_container_headers_are_refused_cheaply) {
    static const uint8_t array32[] = {0xdd, 0xff, 0xff, 0xff, 0xff, 0x01};
    static const uint8_t map32[] = {0xdf, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02};
    static const uint8_t inner[] = {0x82, 0xa1, 'v', 0x01, 0xa1, 't', 0xdd, 0x0f, 0xff, 0xff, 0xff};
    static const uint8_t str32[] = {0x81, 0xa1, 'v', 0xdb, 0xff, 0xff, 0xff, 0xff, 'x'};
    static const uint8_t bin32[] = {0x81, 0xa1, 'v', 0xc6, 0x7f, 0xff, 0xff, 0xff};
    static const uint8_t ext32[] = {0x81, 0xa1, 'v', 0xc9, 0x7f, 0xff, 0xff, 0xff, 0x01};
    const struct {
        const uint8_t *p;
        size_t n;
    } cases[] = {{array32, sizeof array32}, {map32, sizeof map32}, {inner, sizeof inner},
                 {str32, sizeof str32},     {bin32, sizeof bin32}, {ext32, sizeof ext32}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        proto_msg_t out;
        cr_assert_eq(proto_decode(cases[i].p, cases[i].n, &out), PROTO_ERR_MALFORMED, "case %zu",
                     i);
    }
    s_no_leaks();
}

Test(proto, deep_nesting_is_refused) {
    wbuf_t w = {0};
    w_msg(&w, PROTO_VERSION, PROTO_HEARTBEAT, 3);
    w_kv(&w, "r", 1);
    w_kv(&w, "u", 1);
    w_str(&w, "zz");
    for (int i = 0; i < 10000; i++)
        w_array(&w, 1);
    w_uint(&w, 0);
    proto_msg_t out;
    cr_assert_eq(w_decode(&w, &out), PROTO_ERR_MALFORMED);
    s_no_leaks();
}

/* A heartbeat carrying an unknown key whose value is an array of n zeros. */
static int s_heartbeat_with_array(uint32_t n) {
    wbuf_t w = {0};
    w_msg(&w, PROTO_VERSION, PROTO_HEARTBEAT, 3);
    w_kv(&w, "r", 1);
    w_kv(&w, "u", 1);
    w_str(&w, "zz");
    w_array(&w, n);
    uint8_t *zeros = calloc(1, n);
    w_raw(&w, zeros, n);
    free(zeros);
    proto_msg_t out;
    int rc = w_decode(&w, &out);
    proto_msg_fini(&out);
    return rc;
}

/* Each element costs msgpack-c a 24-byte object: the element count is capped. */
Test(proto, too_many_objects_are_refused) {
    cr_assert_eq(s_heartbeat_with_array(1u << 20), PROTO_OK);
    cr_assert_eq(s_heartbeat_with_array(1u << 23), PROTO_ERR_RANGE);
    s_no_leaks();
}

Test(proto, oversized_frame_is_refused_up_front) {
    size_t n = PROTO_MAX_FRAME_BYTES + 1;
    char *big = calloc(1, n);
    cr_assert_not_null(big);
    proto_msg_t out;
    cr_assert_eq(proto_decode(big, n, &out), PROTO_ERR_RANGE);
    cr_assert(s_is_zero(&out));
    free(big);
    s_no_leaks();
}

static void s_decode_anything(const void *p, size_t n) {
    proto_msg_t out;
    memset(&out, 0xa5, sizeof out);
    int rc = proto_decode(p, n, &out);
    cr_assert(rc <= 0 && rc >= PROTO_ERR_RANGE, "rc %d", rc);
    if (rc == PROTO_OK) {
        /* Whatever decoded must encode again. */
        char *buf;
        size_t len;
        cr_assert_eq(proto_encode(&out, &buf, &len), PROTO_OK);
        free(buf);
        proto_msg_fini(&out);
    } else if (rc != PROTO_ERR_VERSION) {
        cr_assert(s_is_zero(&out), "rc %d left something behind", rc);
    }
}

Test(proto, random_garbage_never_crashes) {
    uint64_t state = 0xbadc0ffee;
    uint8_t buf[300];
    for (int i = 0; i < 20000; i++) {
        size_t n = s_rand(&state) % sizeof buf;
        for (size_t j = 0; j < n; j++)
            buf[j] = (uint8_t)s_rand(&state);
        /* Half of them start like a message, to get past the first checks. */
        if (n > 8 && i % 2) {
            static const uint8_t head[] = {0x83, 0xa1, 'v', 0x01, 0xa1, 't'};
            memcpy(buf, head, sizeof head);
            buf[6] = (uint8_t)(1 + i % 9);
        }
        s_decode_anything(buf, n);
    }
    s_no_leaks();
}

Test(proto, byte_flips_of_valid_messages_never_crash) {
    uint64_t state = 12345;
    for (int t = PROTO_HELLO; t < PROTO_TYPE_MAX; t++) {
        proto_msg_t m;
        char *orig;
        size_t len;
        s_fill(&m, (proto_type_t)t);
        if (t == PROTO_STATS || t == PROTO_FINAL) {
            /* Fewer buckets keep the flips near the structure. */
            histogram_destroy(&m.u.stats.stats[0].latency);
            m.u.stats.stats[0].latency = s_hist(3, 20);
        }
        s_encode(&m, &orig, &len);
        char *copy = malloc(len);
        for (int i = 0; i < 1500; i++) {
            memcpy(copy, orig, len);
            int flips = 1 + (int)(s_rand(&state) % 3);
            for (int f = 0; f < flips; f++) {
                size_t at = s_rand(&state) % len;
                copy[at] = (i % 4 == 0) ? (char)(copy[at] ^ (1 << (s_rand(&state) % 8)))
                                        : (char)s_rand(&state);
            }
            s_decode_anything(copy, len);
        }
        free(copy);
        free(orig);
        proto_msg_fini(&m);
    }
    s_no_leaks();
}

/* Random well-formed msgpack maps built from the protocol's own keys, so the
 * per-field type and range checks (not just the parser) meet hostile values. */
static const char *const s_keys[] = {"v",  "t",  "w", "h",  "p",  "c",  "i", "r",  "sn", "sx", "ho",
                                     "wi", "wc", "u", "sr", "ar", "mu", "d", "ri", "hb", "f",  "s",
                                     "dr", "st", "e", "m",  "n",  "q",  "b", "lo", "hi"};

static void s_random_value(wbuf_t *w, uint64_t *state, int depth);

static void s_random_map(wbuf_t *w, uint64_t *state, int depth) {
    uint32_t n = (uint32_t)(s_rand(state) % 8);
    w_map(w, n);
    for (uint32_t i = 0; i < n; i++) {
        w_str(w, s_keys[s_rand(state) % (sizeof s_keys / sizeof s_keys[0])]);
        s_random_value(w, state, depth + 1);
    }
}

static void s_random_value(wbuf_t *w, uint64_t *state, int depth) {
    uint64_t r = s_rand(state);
    switch (r % (depth > 3 ? 8 : 11)) {
    case 0:
        w_uint(w, r >> 60);
        break;
    case 1:
        w_uint(w, r >> 8);
        break;
    case 2:
        w_u8(w, 0xff);
        break; /* -1 */
    case 3:
        w_f64(w, (r & 1) ? -1.5 : (r & 2) ? NAN : 3.25);
        break;
    case 4:
        w_strn(w, (r & 1) ? "a\0b" : "GET", 3);
        break;
    case 5:
        w_bin(w, "\0\1\2", (r >> 8) % 4);
        break;
    case 6:
        w_u8(w, 0xc0);
        break; /* nil */
    case 7:
        w_u8(w, (r & 1) ? 0xc3 : 0xc2);
        break;
    case 8:
    case 9: {
        uint32_t n = (uint32_t)(s_rand(state) % 6);
        w_array(w, n);
        for (uint32_t i = 0; i < n; i++)
            s_random_value(w, state, depth + 1);
        break;
    }
    default:
        s_random_map(w, state, depth);
        break;
    }
}

Test(proto, random_structured_messages_never_crash) {
    uint64_t state = 777;
    for (int i = 0; i < 20000; i++) {
        wbuf_t w = {0};
        uint32_t extra = (uint32_t)(s_rand(&state) % 16);
        w_msg(&w, (i % 50) ? PROTO_VERSION : PROTO_VERSION + 1, 1 + s_rand(&state) % (PROTO_TYPE_MAX - 1), extra);
        for (uint32_t k = 0; k < extra; k++) {
            w_str(&w, s_keys[2 + s_rand(&state) % (sizeof s_keys / sizeof s_keys[0] - 2)]);
            s_random_value(&w, &state, 0);
        }
        s_decode_anything(w.p, w.len);
        free(w.p);
    }
    s_no_leaks();
}

/* ---- versions, types, fields ---------------------------------------------- */

Test(proto, version_mismatch_names_the_peer_version) {
    wbuf_t w = {0};
    w_msg(&w, PROTO_VERSION + 1, PROTO_HELLO, 4);
    w_str(&w, "w");
    w_str(&w, "id");
    w_str(&w, "h");
    w_str(&w, "host");
    w_kv(&w, "p", 1);
    w_kv(&w, "c", 2);
    proto_msg_t out;
    cr_assert_eq(w_decode(&w, &out), PROTO_ERR_VERSION);
    cr_assert_eq(out.version, PROTO_VERSION + 1);
    cr_assert_eq(out.type, PROTO_HELLO);
    cr_assert_null(out.u.hello.worker_id, "nothing owned");
    cr_assert_null(out.u.hello.hostname);

    /* Another version may have types we do not know, or other fields. */
    w_msg(&w, 0, 200, 1);
    w_kv(&w, "zz", 1);
    cr_assert_eq(w_decode(&w, &out), PROTO_ERR_VERSION);
    cr_assert_eq(out.version, 0);
    cr_assert_eq(out.type, 0);
    cr_assert_str_eq(proto_type_name(out.type), "unknown");

    w_map(&w, 1);
    w_kv(&w, "v", 7);
    cr_assert_eq(w_decode(&w, &out), PROTO_ERR_VERSION);
    cr_assert_eq(out.version, 7);
    s_no_leaks();
}

/* Version 1 sent wall_ms ("w") in STATS, which no master read: version 2
 * dropped it, so a version-1 report is refused as another version, and a
 * "w" key in a later report is an unknown key, ignored. Version 3 added the
 * rows' HTTP versions, RUN's tls_no_verify and the heartbeat's health: a
 * version-2 peer is refused the same way. */
Test(proto, stats_without_wall_ms_is_version_2) {
    cr_assert_eq(PROTO_VERSION, 3);
    wbuf_t w = {0};
    w_msg(&w, 2, PROTO_STATS, 0);
    proto_msg_t v2;
    cr_assert_eq(w_decode(&w, &v2), PROTO_ERR_VERSION);
    cr_assert_eq(v2.version, 2);
    w_msg(&w, 1, PROTO_STATS, 7);
    w_kv(&w, "r", 1);
    w_kv(&w, "s", 0);
    w_kv(&w, "w", 1700000000123ull);
    w_kv(&w, "u", 0);
    w_kv(&w, "dr", 0);
    w_str(&w, "st");
    w_array(&w, 0);
    w_str(&w, "e");
    w_array(&w, 0);
    proto_msg_t out;
    cr_assert_eq(w_decode(&w, &out), PROTO_ERR_VERSION);
    cr_assert_eq(out.version, 1);

    w_msg(&w, PROTO_VERSION, PROTO_STATS, 7);
    w_kv(&w, "r", 1);
    w_kv(&w, "s", 9);
    w_kv(&w, "w", 1700000000123ull);
    w_kv(&w, "u", 0);
    w_kv(&w, "dr", 0);
    w_str(&w, "st");
    w_array(&w, 0);
    w_str(&w, "e");
    w_array(&w, 0);
    cr_assert_eq(w_decode(&w, &out), PROTO_OK);
    cr_assert_eq(out.u.stats.seq, 9);
    proto_msg_fini(&out);

    /* seq stays required: the master checks it. */
    w_msg(&w, PROTO_VERSION, PROTO_STATS, 5);
    w_kv(&w, "r", 1);
    w_kv(&w, "u", 0);
    w_kv(&w, "dr", 0);
    w_str(&w, "st");
    w_array(&w, 0);
    w_str(&w, "e");
    w_array(&w, 0);
    cr_assert_eq(w_decode(&w, &out), PROTO_ERR_FIELD);
    s_no_leaks();
}

Test(proto, version_and_type_are_required) {
    proto_msg_t out;
    wbuf_t w = {0};
    w_map(&w, 1);
    w_kv(&w, "t", PROTO_QUIT);
    cr_assert_eq(w_decode(&w, &out), PROTO_ERR_FIELD, "no v");

    w_map(&w, 2);
    w_str(&w, "v");
    w_str(&w, "1");
    w_kv(&w, "t", PROTO_QUIT);
    cr_assert_eq(w_decode(&w, &out), PROTO_ERR_FIELD, "v a string");

    w_map(&w, 2);
    w_kv(&w, "v", 1ull << 40);
    w_kv(&w, "t", PROTO_QUIT);
    cr_assert_eq(w_decode(&w, &out), PROTO_ERR_RANGE, "v beyond 32 bits");

    w_map(&w, 1);
    w_kv(&w, "v", PROTO_VERSION);
    cr_assert_eq(w_decode(&w, &out), PROTO_ERR_FIELD, "no t");

    w_map(&w, 2);
    w_kv(&w, "v", PROTO_VERSION);
    w_str(&w, "t");
    w_f64(&w, 1.0);
    cr_assert_eq(w_decode(&w, &out), PROTO_ERR_FIELD, "t a float");

    uint64_t bad_types[] = {0, PROTO_TYPE_MAX, 1000, UINT64_MAX};
    for (size_t i = 0; i < sizeof bad_types / sizeof bad_types[0]; i++) {
        w_msg(&w, PROTO_VERSION, bad_types[i], 0);
        cr_assert_eq(w_decode(&w, &out), PROTO_ERR_TYPE, "type %llu",
                     (unsigned long long)bad_types[i]);
        cr_assert(s_is_zero(&out));
    }
    s_no_leaks();
}

Test(proto, unknown_keys_are_ignored) {
    wbuf_t w = {0};
    w_map(&w, 7);
    w_kv(&w, "future", 1);
    w_kv(&w, "r", 12);
    w_uint(&w, 5); /* a non-string key */
    w_u8(&w, 0xc0);
    w_kv(&w, "v", PROTO_VERSION);
    w_str(&w, "x");
    w_array(&w, 2);
    w_map(&w, 0);
    w_bin(&w, "\0", 1);
    w_kv(&w, "t", PROTO_HEARTBEAT);
    w_kv(&w, "u", 34);
    proto_msg_t out;
    cr_assert_eq(w_decode(&w, &out), PROTO_OK);
    cr_assert_eq(out.type, PROTO_HEARTBEAT);
    cr_assert_eq(out.u.heartbeat.run_id, 12);
    cr_assert_eq(out.u.heartbeat.users, 34);
    proto_msg_fini(&out);
    s_no_leaks();
}

Test(proto, duplicate_keys_take_the_first_and_do_not_leak) {
    wbuf_t w = {0};
    w_msg(&w, PROTO_VERSION, PROTO_REJECT, 2);
    w_str(&w, "r");
    w_str(&w, "first");
    w_str(&w, "r");
    w_str(&w, "second");
    proto_msg_t out;
    cr_assert_eq(w_decode(&w, &out), PROTO_OK);
    cr_assert_str_eq(out.u.reject.reason, "first");
    proto_msg_fini(&out);
    s_no_leaks();
}

/* A heartbeat whose "r" value is written by put. */
static int s_heartbeat_with(void (*put)(wbuf_t *)) {
    wbuf_t w = {0};
    w_msg(&w, PROTO_VERSION, PROTO_HEARTBEAT, 2);
    w_str(&w, "r");
    put(&w);
    w_kv(&w, "u", 1);
    proto_msg_t out;
    int rc = w_decode(&w, &out);
    proto_msg_fini(&out);
    return rc;
}

static void s_put_str(wbuf_t *w) {
    w_str(w, "12");
}
static void s_put_neg(wbuf_t *w) {
    w_u8(w, 0xff);
}
static void s_put_float(wbuf_t *w) {
    w_f64(w, 12.0);
}
static void s_put_nil(wbuf_t *w) {
    w_u8(w, 0xc0);
}
static void s_put_bool(wbuf_t *w) {
    w_u8(w, 0xc3);
}
static void s_put_array(wbuf_t *w) {
    w_array(w, 1);
    w_uint(w, 12);
}
static void s_put_two(wbuf_t *w) {
    w_uint(w, 2);
}
static void s_put_big(wbuf_t *w) {
    w_uint(w, (uint64_t)UINT32_MAX + 1);
}
static void s_put_max(wbuf_t *w) {
    w_uint(w, UINT32_MAX);
}
/* A non-negative value in a signed encoding is still a valid unsigned field. */
static void s_put_int8(wbuf_t *w) {
    w_u8(w, 0xd0);
    w_u8(w, 12);
}

Test(proto, wrong_field_types_are_refused) {
    cr_assert_eq(s_heartbeat_with(s_put_str), PROTO_ERR_FIELD);
    cr_assert_eq(s_heartbeat_with(s_put_neg), PROTO_ERR_FIELD);
    cr_assert_eq(s_heartbeat_with(s_put_float), PROTO_ERR_FIELD);
    cr_assert_eq(s_heartbeat_with(s_put_nil), PROTO_ERR_FIELD);
    cr_assert_eq(s_heartbeat_with(s_put_bool), PROTO_ERR_FIELD);
    cr_assert_eq(s_heartbeat_with(s_put_array), PROTO_ERR_FIELD);
    cr_assert_eq(s_heartbeat_with(s_put_big), PROTO_ERR_RANGE);
    cr_assert_eq(s_heartbeat_with(s_put_max), PROTO_OK);
    cr_assert_eq(s_heartbeat_with(s_put_int8), PROTO_OK);
    s_no_leaks();
}

Test(proto, missing_required_field_is_refused) {
    wbuf_t w = {0};
    w_msg(&w, PROTO_VERSION, PROTO_HELLO, 3);
    w_str(&w, "w");
    w_str(&w, "id");
    w_str(&w, "h");
    w_str(&w, "host");
    w_kv(&w, "p", 1); /* no "c" */
    proto_msg_t out;
    cr_assert_eq(w_decode(&w, &out), PROTO_ERR_FIELD);
    cr_assert(s_is_zero(&out), "the strings already copied were freed");
    s_no_leaks();
}

Test(proto, nul_inside_strings_is_refused) {
    wbuf_t w = {0};
    w_msg(&w, PROTO_VERSION, PROTO_REJECT, 1);
    w_str(&w, "r");
    w_strn(&w, "bad\0reason", 10);
    proto_msg_t out;
    cr_assert_eq(w_decode(&w, &out), PROTO_ERR_RANGE);
    w_msg(&w, PROTO_VERSION, PROTO_REJECT, 1);
    w_str(&w, "r");
    w_bin(&w, "reason", 6);
    cr_assert_eq(w_decode(&w, &out), PROTO_ERR_FIELD, "bin is not a string");
    s_no_leaks();
}

/* A RUN frame, as the encoder writes it, with one field replaced. */
static int s_run_with(const char *key, void (*put)(wbuf_t *)) {
    proto_msg_t m, out;
    char *buf;
    size_t len;
    s_fill_run(&m, true);
    s_encode(&m, &buf, &len);
    proto_msg_fini(&m);
    cr_assert_eq(proto_decode(buf, len, &out), PROTO_OK);
    /* Prepend the replacement: the first occurrence of a key wins. */
    wbuf_t w = {0};
    static const uint8_t map16_of_18[] = {0xde, 0x00, 0x12};
    cr_assert_arr_eq(buf, map16_of_18, 3, "run is a map of 18 entries");
    w_map(&w, 19);
    w_str(&w, key);
    put(&w);
    w_raw(&w, buf + 3, len - 3);
    free(buf);
    proto_msg_fini(&out);
    int rc = w_decode(&w, &out);
    cr_assert(rc == PROTO_OK || s_is_zero(&out));
    proto_msg_fini(&out);
    return rc;
}

static void s_put_neg_rate(wbuf_t *w) {
    w_f64(w, -1.0);
}
static void s_put_nan(wbuf_t *w) {
    w_f64(w, NAN);
}
static void s_put_inf(wbuf_t *w) {
    w_f64(w, INFINITY);
}
static void s_put_float32(wbuf_t *w) {
    w_u8(w, 0xca);
    w_be(w, 0x40200000, 4); /* 2.5f */
}
static void s_put_uint(wbuf_t *w) {
    w_uint(w, 3);
}
static void s_put_sixteen(wbuf_t *w) {
    w_uint(w, 16);
}
static void s_put_files_str(wbuf_t *w) {
    w_array(w, 1);
    w_map(w, 2);
    w_kv(w, "zz", 0);
    w_str(w, "n");
    w_str(w, "a.csv");
}
static void s_put_file_data_str(wbuf_t *w) {
    w_array(w, 1);
    w_map(w, 2);
    w_str(w, "n");
    w_str(w, "a.csv");
    w_str(w, "d");
    w_str(w, "x");
}
static void s_put_file_not_map(wbuf_t *w) {
    w_array(w, 1);
    w_uint(w, 1);
}
static void s_put_classes_bad(wbuf_t *w) {
    w_array(w, 2);
    w_uint(w, 1);
    w_str(w, "2");
}
static void s_put_classes_big(wbuf_t *w) {
    w_array(w, 1);
    w_uint(w, 1ull << 32);
}
static void s_put_bin(wbuf_t *w) {
    w_bin(w, "x", 1);
}
static void s_put_text_with_nul(wbuf_t *w) {
    w_strn(w, "a: 1\0", 5);
}

Test(proto, run_fields_are_checked) {
    cr_assert_eq(s_run_with("sr", s_put_float32), PROTO_OK);
    cr_assert_eq(s_run_with("sr", s_put_neg_rate), PROTO_ERR_RANGE);
    cr_assert_eq(s_run_with("ar", s_put_nan), PROTO_ERR_RANGE);
    cr_assert_eq(s_run_with("ar", s_put_inf), PROTO_ERR_RANGE);
    cr_assert_eq(s_run_with("sr", s_put_uint), PROTO_ERR_FIELD);
    cr_assert_eq(s_run_with("ho", s_put_uint), PROTO_ERR_FIELD);
    cr_assert_eq(s_run_with("ho", s_put_nil), PROTO_OK);
    cr_assert_eq(s_run_with("sx", s_put_bin), PROTO_ERR_FIELD);
    cr_assert_eq(s_run_with("sx", s_put_text_with_nul), PROTO_OK, "a sized text may hold NUL");
    cr_assert_eq(s_run_with("sn", s_put_text_with_nul), PROTO_ERR_RANGE);
    cr_assert_eq(s_run_with("f", s_put_files_str), PROTO_ERR_FIELD, "file without data");
    cr_assert_eq(s_run_with("f", s_put_file_data_str), PROTO_ERR_FIELD, "file data must be bin");
    cr_assert_eq(s_run_with("f", s_put_file_not_map), PROTO_ERR_FIELD);
    cr_assert_eq(s_run_with("f", s_put_uint), PROTO_ERR_FIELD);
    cr_assert_eq(s_run_with("u", s_put_classes_bad), PROTO_ERR_FIELD);
    cr_assert_eq(s_run_with("u", s_put_classes_big), PROTO_ERR_RANGE);
    cr_assert_eq(s_run_with("wc", s_put_big), PROTO_ERR_RANGE);
    cr_assert_eq(s_run_with("tv", s_put_two), PROTO_ERR_RANGE, "tls_no_verify is 0 or 1");
    cr_assert_eq(s_run_with("tv", s_put_nil), PROTO_ERR_FIELD);
    cr_assert_eq(s_run_with("d", s_put_sixteen), PROTO_OK);
    s_no_leaks();
}

/* ---- histograms on the wire ------------------------------------------------ */

/* A STATS frame with one row whose histogram map is written by put. */
static int s_stats_with_hist(void (*put)(wbuf_t *)) {
    wbuf_t w = {0};
    w_msg(&w, PROTO_VERSION, PROTO_STATS, 6);
    w_kv(&w, "r", 1);
    w_kv(&w, "s", 0);
    w_kv(&w, "u", 0);
    w_kv(&w, "dr", 0);
    w_str(&w, "st");
    w_array(&w, 2);
    w_map(&w, 11); /* a good row first, so a bad second one has something to free */
    w_str(&w, "m");
    w_str(&w, "GET");
    w_str(&w, "n");
    w_str(&w, "/ok");
    w_kv(&w, "q", 1);
    w_kv(&w, "f", 0);
    w_kv(&w, "b", 0);
    w_http(&w, 1);
    w_str(&w, "h");
    w_map(&w, 5);
    w_kv(&w, "c", 1);
    w_kv(&w, "lo", 5);
    w_kv(&w, "hi", 5);
    w_kv(&w, "s", 5);
    w_str(&w, "b");
    w_array(&w, 2);
    w_uint(&w, 6);
    w_uint(&w, 1);
    w_map(&w, 11);
    w_str(&w, "m");
    w_str(&w, "GET");
    w_str(&w, "n");
    w_str(&w, "/");
    w_kv(&w, "q", 3);
    w_kv(&w, "f", 0);
    w_kv(&w, "b", 0);
    w_http(&w, 3);
    w_str(&w, "h");
    put(&w);
    w_str(&w, "e");
    w_array(&w, 0);
    proto_msg_t out;
    int rc = w_decode(&w, &out);
    if (rc == PROTO_OK) {
        cr_assert_eq(histogram_count(out.u.stats.stats[0].latency), 1);
        cr_assert_eq(histogram_max(out.u.stats.stats[0].latency), 5);
    } else {
        cr_assert(s_is_zero(&out));
    }
    proto_msg_fini(&out);
    return rc;
}

/* {c, lo, hi, s, b: [pairs...]}; indexes below 2048 are the values themselves. */
static void w_hist(wbuf_t *w, uint64_t count, uint64_t lo, uint64_t hi, uint64_t sum,
                   const uint64_t *pairs, uint32_t n_pairs) {
    w_map(w, 5);
    w_kv(w, "c", count);
    w_kv(w, "lo", lo);
    w_kv(w, "hi", hi);
    w_kv(w, "s", sum);
    w_str(w, "b");
    w_array(w, n_pairs);
    for (uint32_t i = 0; i < n_pairs; i++)
        w_uint(w, pairs[i]);
}

/* Values 10, 10, 20: buckets 10 (delta 11 from -1) and 20 (delta 10). */
static const uint64_t s_pairs[] = {11, 2, 10, 1};
static void h_good(wbuf_t *w) {
    w_hist(w, 3, 10, 20, 40, s_pairs, 4);
}
static void h_empty(wbuf_t *w) {
    w_hist(w, 0, 0, 0, 0, NULL, 0);
}
static void h_count_high(wbuf_t *w) {
    w_hist(w, 4, 10, 20, 40, s_pairs, 4);
}
static void h_count_low(wbuf_t *w) {
    w_hist(w, 2, 10, 20, 40, s_pairs, 4);
}
static void h_odd(wbuf_t *w) {
    w_hist(w, 3, 10, 20, 40, s_pairs, 3);
}
static void h_min_off(wbuf_t *w) {
    w_hist(w, 3, 11, 20, 41, s_pairs, 4);
}
static void h_max_off(wbuf_t *w) {
    w_hist(w, 3, 10, 19, 39, s_pairs, 4);
}
static void h_sum_off(wbuf_t *w) {
    w_hist(w, 3, 10, 20, 61, s_pairs, 4);
}
static void h_stats_on_empty(wbuf_t *w) {
    w_hist(w, 0, 1, 1, 0, NULL, 0);
}
static void h_zero_delta(wbuf_t *w) {
    static const uint64_t p[] = {11, 2, 0, 1};
    w_hist(w, 3, 10, 10, 30, p, 4);
}
static void h_zero_count(wbuf_t *w) {
    static const uint64_t p[] = {11, 3, 10, 0};
    w_hist(w, 3, 10, 10, 30, p, 4);
}
static void h_index_zero(wbuf_t *w) {
    static const uint64_t p[] = {1, 1}; /* bucket 0 holds value 0, which never occurs */
    w_hist(w, 1, 1, 1, 1, p, 2);
}
static void h_index_beyond(wbuf_t *w) {
    static const uint64_t p[] = {11, 1, 30000, 1};
    w_hist(w, 2, 10, HISTOGRAM_HIGHEST_US, 10 + HISTOGRAM_HIGHEST_US, p, 4);
}
static void h_huge_delta(wbuf_t *w) {
    static const uint64_t p[] = {UINT64_MAX, 1};
    w_hist(w, 1, 10, 10, 10, p, 2);
}
static void h_count_overflow(wbuf_t *w) {
    static const uint64_t p[] = {11, UINT64_MAX, 1, 1};
    w_hist(w, 0, 10, 11, 0, p, 4);
}
static void h_not_map(wbuf_t *w) {
    w_array(w, 0);
}
static void h_pair_str(wbuf_t *w) {
    w_map(w, 5);
    w_kv(w, "c", 1);
    w_kv(w, "lo", 10);
    w_kv(w, "hi", 10);
    w_kv(w, "s", 10);
    w_str(w, "b");
    w_array(w, 2);
    w_uint(w, 11);
    w_str(w, "1");
}
static void h_no_buckets(wbuf_t *w) {
    w_map(w, 4);
    w_kv(w, "c", 0);
    w_kv(w, "lo", 0);
    w_kv(w, "hi", 0);
    w_kv(w, "s", 0);
}

Test(proto, histogram_on_the_wire_is_checked) {
    cr_assert_eq(s_stats_with_hist(h_good), PROTO_OK);
    cr_assert_eq(s_stats_with_hist(h_empty), PROTO_OK);
    cr_assert_eq(s_stats_with_hist(h_count_high), PROTO_ERR_RANGE, "count != sum of buckets");
    cr_assert_eq(s_stats_with_hist(h_count_low), PROTO_ERR_RANGE, "count != sum of buckets");
    cr_assert_eq(s_stats_with_hist(h_odd), PROTO_ERR_RANGE, "odd pair array");
    cr_assert_eq(s_stats_with_hist(h_min_off), PROTO_ERR_RANGE, "min outside its bucket");
    cr_assert_eq(s_stats_with_hist(h_max_off), PROTO_ERR_RANGE, "max outside its bucket");
    cr_assert_eq(s_stats_with_hist(h_sum_off), PROTO_ERR_RANGE, "sum above count * max");
    cr_assert_eq(s_stats_with_hist(h_stats_on_empty), PROTO_ERR_RANGE);
    cr_assert_eq(s_stats_with_hist(h_zero_delta), PROTO_ERR_RANGE, "repeated bucket");
    cr_assert_eq(s_stats_with_hist(h_zero_count), PROTO_ERR_RANGE, "zero-count pair");
    cr_assert_eq(s_stats_with_hist(h_index_zero), PROTO_ERR_RANGE);
    cr_assert_eq(s_stats_with_hist(h_index_beyond), PROTO_ERR_RANGE);
    cr_assert_eq(s_stats_with_hist(h_huge_delta), PROTO_ERR_RANGE);
    cr_assert_eq(s_stats_with_hist(h_count_overflow), PROTO_ERR_RANGE);
    cr_assert_eq(s_stats_with_hist(h_not_map), PROTO_ERR_FIELD);
    cr_assert_eq(s_stats_with_hist(h_pair_str), PROTO_ERR_FIELD);
    cr_assert_eq(s_stats_with_hist(h_no_buckets), PROTO_ERR_FIELD);
    s_no_leaks();
}

Test(proto, histogram_delta_encoding_is_sparse) {
    proto_msg_t m = {.type = PROTO_STATS}, out;
    m.u.stats.n_stats = 1;
    m.u.stats.stats = calloc(1, sizeof *m.u.stats.stats);
    histogram_t *h = histogram_new();
    histogram_record(h, 10);
    histogram_record(h, 10);
    histogram_record(h, 20);
    m.u.stats.stats[0].latency = h;
    char *buf;
    size_t len;
    s_encode(&m, &buf, &len);
    /* The pair array [11, 2, 10, 1] appears verbatim: fixarray(4) then fixints. */
    static const char pairs[] = {(char)0x94, 11, 2, 10, 1};
    cr_assert_not_null(memmem(buf, len, pairs, sizeof pairs));
    /* One value at the top of the range still encodes in a few bytes. */
    histogram_reset(h);
    histogram_record(h, HISTOGRAM_HIGHEST_US);
    free(buf);
    s_encode(&m, &buf, &len);
    cr_assert_lt(len, 220); /* with the five empty phase histograms */
    cr_assert_eq(proto_decode(buf, len, &out), PROTO_OK);
    cr_assert_eq(histogram_max(out.u.stats.stats[0].latency), HISTOGRAM_HIGHEST_US);
    free(buf);
    proto_msg_fini(&out);
    proto_msg_fini(&m);
    s_no_leaks();
}

Test(proto, too_many_rows_are_refused) {
    wbuf_t w = {0};
    w_msg(&w, PROTO_VERSION, PROTO_STATS, 6);
    w_kv(&w, "r", 1);
    w_kv(&w, "s", 0);
    w_kv(&w, "u", 0);
    w_kv(&w, "dr", 0);
    w_str(&w, "st");
    w_array(&w, PROTO_MAX_STATS + 1);
    for (uint32_t i = 0; i < PROTO_MAX_STATS + 1; i++) {
        w_map(&w, 11);
        w_str(&w, "m");
        w_str(&w, "GET");
        w_str(&w, "n");
        w_str(&w, "/");
        w_kv(&w, "q", 0);
        w_kv(&w, "f", 0);
        w_kv(&w, "b", 0);
        w_http(&w, 0);
        w_str(&w, "h");
        h_empty(&w);
    }
    w_str(&w, "e");
    w_array(&w, 0);
    proto_msg_t out;
    cr_assert_eq(w_decode(&w, &out), PROTO_ERR_RANGE);
    cr_assert(s_is_zero(&out));
    s_no_leaks();
}

/* A USERS frame, as the encoder writes it, with one field replaced. */
static int s_users_with(const char *key, void (*put)(wbuf_t *)) {
    proto_msg_t m, out;
    char *buf;
    size_t len;
    s_fill_users(&m);
    s_encode(&m, &buf, &len);
    proto_msg_fini(&m);
    wbuf_t w = {0};
    cr_assert_eq((uint8_t)buf[0], 0x89, "users is a fixmap of 9 entries");
    w_map(&w, 10);
    w_str(&w, key);
    put(&w);
    w_raw(&w, buf + 1, len - 1);
    free(buf);
    int rc = w_decode(&w, &out);
    cr_assert(rc == PROTO_OK || s_is_zero(&out), "a refused decode owns nothing");
    proto_msg_fini(&out);
    return rc;
}

static void s_put_classes_empty(wbuf_t *w) {
    w_array(w, 0);
}

Test(proto, users_fields_are_checked) {
    cr_assert_eq(s_users_with("zz", s_put_uint), PROTO_OK);
    cr_assert_eq(s_users_with("sr", s_put_neg_rate), PROTO_ERR_RANGE);
    cr_assert_eq(s_users_with("sr", s_put_nan), PROTO_ERR_RANGE);
    cr_assert_eq(s_users_with("ar", s_put_inf), PROTO_ERR_RANGE);
    cr_assert_eq(s_users_with("sr", s_put_uint), PROTO_ERR_FIELD);
    cr_assert_eq(s_users_with("u", s_put_classes_bad), PROTO_ERR_FIELD);
    cr_assert_eq(s_users_with("u", s_put_classes_big), PROTO_ERR_RANGE);
    cr_assert_eq(s_users_with("u", s_put_uint), PROTO_ERR_FIELD);
    cr_assert_eq(s_users_with("u", s_put_classes_empty), PROTO_OK);
    cr_assert_eq(s_users_with("fn", s_put_big), PROTO_ERR_RANGE);
    cr_assert_eq(s_users_with("fu", s_put_str), PROTO_ERR_FIELD);
    cr_assert_eq(s_users_with("mu", s_put_neg), PROTO_ERR_FIELD);
    s_no_leaks();
}

Test(proto, users_truncations_and_missing_fields_are_refused) {
    proto_msg_t m, out;
    char *buf;
    size_t len;
    s_fill_users(&m);
    s_encode(&m, &buf, &len);
    proto_msg_fini(&m);
    for (size_t cut = 0; cut < len; cut++) {
        int rc = proto_decode(buf, cut, &out);
        cr_assert_neq(rc, PROTO_OK, "a frame cut at %zu of %zu bytes", cut, len);
        cr_assert(s_is_zero(&out));
    }
    free(buf);
    /* Without any one of its fields, the message is refused whole. */
    static const char *const keys[] = {"r", "u", "sr", "fu", "fn", "ar", "mu"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        wbuf_t w = {0};
        w_msg(&w, PROTO_VERSION, PROTO_USERS, 6);
        for (size_t j = 0; j < sizeof keys / sizeof keys[0]; j++) {
            if (j == k) continue;
            if (strcmp(keys[j], "u") == 0) {
                w_str(&w, "u");
                w_array(&w, 2);
                w_uint(&w, 1);
                w_uint(&w, 2);
            } else if (keys[j][1] == 'r') {
                w_str(&w, keys[j]);
                w_f64(&w, 1.0);
            } else {
                w_kv(&w, keys[j], 1);
            }
        }
        cr_assert_eq(w_decode(&w, &out), PROTO_ERR_FIELD, "without %s", keys[k]);
        cr_assert(s_is_zero(&out));
    }
    s_no_leaks();
}

/* ---- ownership and names ---------------------------------------------------- */

Test(proto, fini_is_safe_on_zeroed_and_hand_filled) {
    proto_msg_t m = {0};
    proto_msg_fini(&m);
    proto_msg_fini(NULL);
    for (int t = 0; t <= PROTO_TYPE_MAX; t++) {
        m = (proto_msg_t){.type = (proto_type_t)t};
        proto_msg_fini(&m);
        cr_assert(s_is_zero(&m));
    }
    s_fill(&m, PROTO_FINAL);
    proto_msg_fini(&m); /* ASan reports anything left */
    cr_assert(s_is_zero(&m));
    s_fill_run(&m, true);
    proto_msg_fini(&m);
    cr_assert(s_is_zero(&m));
    s_fill_users(&m);
    proto_msg_fini(&m);
    cr_assert(s_is_zero(&m));
    s_no_leaks();
}

Test(proto, strerror_covers_every_code) {
    const char *unknown = proto_strerror(-99);
    cr_assert_not_null(unknown);
    cr_assert_str_eq(proto_strerror(1), unknown);
    int codes[] = {PROTO_OK,       PROTO_ERR_MALFORMED, PROTO_ERR_VERSION,
                   PROTO_ERR_TYPE, PROTO_ERR_FIELD,     PROTO_ERR_RANGE};
    size_t n = sizeof codes / sizeof codes[0];
    for (size_t i = 0; i < n; i++) {
        const char *s = proto_strerror(codes[i]);
        cr_assert_not_null(s);
        cr_assert_gt(strlen(s), 0);
        cr_assert_str_neq(s, unknown, "code %d", codes[i]);
        for (size_t j = 0; j < i; j++)
            cr_assert_str_neq(s, proto_strerror(codes[j]));
    }
    s_no_leaks();
}

Test(proto, type_name_covers_every_type) {
    static const char *const want[] = {"hello",     "welcome", "reject", "run",  "stats",
                                       "heartbeat", "stop",    "final",  "quit", "users"};
    cr_assert_eq(sizeof want / sizeof want[0], PROTO_TYPE_MAX - 1);
    for (int t = PROTO_HELLO; t < PROTO_TYPE_MAX; t++)
        cr_assert_str_eq(proto_type_name((proto_type_t)t), want[t - 1]);
    cr_assert_str_eq(proto_type_name((proto_type_t)0), "unknown");
    cr_assert_str_eq(proto_type_name(PROTO_TYPE_MAX), "unknown");
    cr_assert_str_eq(proto_type_name((proto_type_t)1000), "unknown");
    cr_assert_str_eq(proto_type_name((proto_type_t)-1), "unknown");
    s_no_leaks();
}

Test(proto, roundtrip_run_stages) {
    proto_msg_t m, got;
    s_fill_run(&m, false);
    m.u.run.n_stages = 3;
    m.u.run.stages = calloc(3, sizeof *m.u.run.stages);
    m.u.run.stages[0] = (ramp_stage_t){.duration_us = 0, .target = 50};
    m.u.run.stages[1] = (ramp_stage_t){.duration_us = 30000000, .target = 333.333334};
    m.u.run.stages[2] = (ramp_stage_t){.duration_us = 60000000, .target = 0};
    char *buf;
    size_t len;
    s_encode(&m, &buf, &len);
    cr_assert_eq(proto_decode(buf, len, &got), PROTO_OK);
    s_assert_run_eq(&m.u.run, &got.u.run);
    cr_assert_eq(got.u.run.n_stages, 3);
    for (uint32_t i = 0; i < 3; i++) {
        cr_expect_eq(got.u.run.stages[i].duration_us, m.u.run.stages[i].duration_us);
        cr_expect_eq(got.u.run.stages[i].target, m.u.run.stages[i].target);
    }
    proto_msg_fini(&got);
    free(buf);
    /* Without stages the key is left out, and a decoder sees none. */
    free(m.u.run.stages);
    m.u.run.stages = NULL;
    m.u.run.n_stages = 0;
    s_encode(&m, &buf, &len);
    cr_assert_eq(proto_decode(buf, len, &got), PROTO_OK);
    cr_expect_eq(got.u.run.n_stages, 0);
    cr_expect_null(got.u.run.stages);
    proto_msg_fini(&got);
    free(buf);
    proto_msg_fini(&m);
    s_no_leaks();
}

Test(proto, a_heartbeat_without_health_decodes_zeros_and_a_bad_one_is_refused) {
    wbuf_t w = {0};
    w_msg(&w, PROTO_VERSION, PROTO_HEARTBEAT, 2);
    w_kv(&w, "r", 3);
    w_kv(&w, "u", 4);
    proto_msg_t out;
    cr_assert_eq(w_decode(&w, &out), PROTO_OK, "the master's heartbeat has no health");
    cr_assert_eq(out.u.heartbeat.health.cpu_permille, 0);
    cr_assert_eq(out.u.heartbeat.health.rss_kib, 0);
    proto_msg_fini(&out);
    wbuf_t bad = {0};
    w_msg(&bad, PROTO_VERSION, PROTO_HEARTBEAT, 3);
    w_kv(&bad, "r", 3);
    w_kv(&bad, "u", 4);
    w_kv(&bad, "hl", (uint64_t)UINT32_MAX + 1);
    cr_assert_eq(w_decode(&bad, &out), PROTO_ERR_RANGE, "lag beyond 32 bits");
    s_no_leaks();
}

/* A STATS frame of one row with q requests whose "hv" and "ha" are written by put. */
static int s_stats_with_http(uint64_t requests, void (*put)(wbuf_t *)) {
    wbuf_t w = {0};
    w_msg(&w, PROTO_VERSION, PROTO_STATS, 6);
    w_kv(&w, "r", 1);
    w_kv(&w, "s", 0);
    w_kv(&w, "u", 0);
    w_kv(&w, "dr", 0);
    w_str(&w, "st");
    w_array(&w, 1);
    w_map(&w, 11);
    w_str(&w, "m");
    w_str(&w, "GET");
    w_str(&w, "n");
    w_str(&w, "/");
    w_kv(&w, "q", requests);
    w_kv(&w, "f", 0);
    w_kv(&w, "b", 0);
    put(&w);
    w_phases(&w);
    w_str(&w, "h");
    h_empty(&w);
    w_str(&w, "e");
    w_array(&w, 0);
    proto_msg_t out;
    int rc = w_decode(&w, &out);
    if (rc != PROTO_OK) cr_assert(s_is_zero(&out));
    proto_msg_fini(&out);
    return rc;
}

static void hv_put(wbuf_t *w, const uint64_t *v, uint32_t n, uint64_t asked) {
    w_str(w, "hv");
    w_array(w, n);
    for (uint32_t i = 0; i < n; i++)
        w_uint(w, v[i]);
    w_kv(w, "ha", asked);
}
static void hv_good(wbuf_t *w) {
    hv_put(w, (const uint64_t[]){0, 1, 2, 0}, 4, PROTO_ASKED_2);
}
static void hv_more_than_requests(wbuf_t *w) {
    hv_put(w, (const uint64_t[]){0, 2, 2, 0}, 4, PROTO_ASKED_2);
}
static void hv_wraps(wbuf_t *w) {
    hv_put(w, (const uint64_t[]){UINT64_MAX, 2, 0, 0}, 4, PROTO_ASKED_2);
}
static void hv_short(wbuf_t *w) {
    hv_put(w, (const uint64_t[]){0, 1, 2}, 3, PROTO_ASKED_2);
}
static void hv_long(wbuf_t *w) {
    hv_put(w, (const uint64_t[]){0, 1, 2, 0, 0}, 5, PROTO_ASKED_2);
}
static void hv_bad_asked(wbuf_t *w) {
    hv_put(w, (const uint64_t[]){0, 1, 2, 0}, 4, PROTO_ASKED_MAX);
}
static void hv_not_uint(wbuf_t *w) {
    w_str(w, "hv");
    w_array(w, 4);
    w_uint(w, 0);
    w_str(w, "1");
    w_uint(w, 0);
    w_uint(w, 0);
    w_kv(w, "ha", 0);
}
static void hv_missing(wbuf_t *w) {
    w_kv(w, "zz", 0);
    w_kv(w, "ha", 0);
}

Test(proto, http_versions_of_a_row_are_checked) {
    cr_assert_eq(s_stats_with_http(3, hv_good), PROTO_OK);
    cr_assert_eq(s_stats_with_http(3, hv_more_than_requests), PROTO_ERR_RANGE,
                 "more responses than requests");
    cr_assert_eq(s_stats_with_http(3, hv_wraps), PROTO_ERR_RANGE, "a sum that wraps");
    cr_assert_eq(s_stats_with_http(3, hv_short), PROTO_ERR_FIELD);
    cr_assert_eq(s_stats_with_http(3, hv_long), PROTO_ERR_FIELD);
    cr_assert_eq(s_stats_with_http(3, hv_bad_asked), PROTO_ERR_RANGE);
    cr_assert_eq(s_stats_with_http(3, hv_not_uint), PROTO_ERR_FIELD);
    cr_assert_eq(s_stats_with_http(3, hv_missing), PROTO_ERR_FIELD, "hv is required");
    s_no_leaks();
}

/* Every prefix of a STATS frame with HTTP versions is refused, and frees what it decoded. */
Test(proto, truncated_stats_with_http_versions_are_refused) {
    proto_msg_t m, out;
    char *buf;
    size_t len;
    s_fill_stats(&m, PROTO_STATS);
    s_encode(&m, &buf, &len);
    proto_msg_fini(&m);
    for (size_t cut = 0; cut < len; cut++) {
        int rc = proto_decode(buf, cut, &out);
        cr_assert_neq(rc, PROTO_OK, "prefix of %zu bytes of %zu", cut, len);
        cr_assert(s_is_zero(&out));
    }
    free(buf);
    s_no_leaks();
}

/* A one-row STATS frame of `requests` requests whose "ph", "nc", "wb" put writes. */
static int s_stats_with_phases(uint64_t requests, void (*put)(wbuf_t *)) {
    wbuf_t w = {0};
    w_msg(&w, PROTO_VERSION, PROTO_STATS, 6);
    w_kv(&w, "r", 1);
    w_kv(&w, "s", 0);
    w_kv(&w, "u", 0);
    w_kv(&w, "dr", 0);
    w_str(&w, "st");
    w_array(&w, 1);
    w_map(&w, 11);
    w_str(&w, "m");
    w_str(&w, "GET");
    w_str(&w, "n");
    w_str(&w, "/");
    w_kv(&w, "q", requests);
    w_kv(&w, "f", 0);
    w_kv(&w, "b", 0);
    w_str(&w, "hv");
    w_array(&w, PROTO_HTTP_N);
    for (int v = 0; v < PROTO_HTTP_N; v++)
        w_uint(&w, 0);
    w_kv(&w, "ha", 0);
    w_str(&w, "h");
    w_empty_hist(&w);
    put(&w);
    w_str(&w, "e");
    w_array(&w, 0);
    proto_msg_t out;
    int rc = w_decode(&w, &out);
    if (rc != PROTO_OK) cr_assert(s_is_zero(&out));
    proto_msg_fini(&out);
    return rc;
}

/* "ph" with n histograms, the one at odd_one holding two samples (others: one). */
static void ph_put(wbuf_t *w, uint32_t n, int odd_one) {
    w_str(w, "ph");
    w_array(w, n);
    for (int p = 0; p < (int)n; p++) {
        static const uint64_t one[] = {11, 1}, two[] = {11, 2};
        w_hist(w, p == odd_one ? 2 : 1, 10, 10, p == odd_one ? 20 : 10, p == odd_one ? two : one,
               2);
    }
    w_kv(w, "nc", 1);
    w_kv(w, "wb", 300);
}
static void ph_good(wbuf_t *w) {
    ph_put(w, PROTO_PHASE_N, -1);
}
static void ph_uneven(wbuf_t *w) {
    ph_put(w, PROTO_PHASE_N, PROTO_PHASE_WAIT);
}
static void ph_short(wbuf_t *w) {
    ph_put(w, PROTO_PHASE_N - 1, -1);
}
static void ph_long(wbuf_t *w) {
    ph_put(w, PROTO_PHASE_N + 1, -1);
}
static void ph_bad_hist(wbuf_t *w) {
    w_str(w, "ph");
    w_array(w, PROTO_PHASE_N);
    for (int p = 0; p < PROTO_PHASE_N; p++) {
        static const uint64_t one[] = {11, 1};
        w_hist(w, p == PROTO_PHASE_TLS ? 2 : 1, 10, 10, 10, one, 2); /* count != buckets */
    }
    w_kv(w, "nc", 0);
    w_kv(w, "wb", 0);
}
static void ph_not_array(wbuf_t *w) {
    w_kv(w, "ph", 5);
    w_kv(w, "nc", 0);
    w_kv(w, "wb", 0);
}
static void ph_missing(wbuf_t *w) {
    w_kv(w, "zz", 0);
    w_kv(w, "nc", 0);
    w_kv(w, "wb", 0);
}
static void ph_no_connects(wbuf_t *w) {
    w_str(w, "ph");
    w_array(w, PROTO_PHASE_N);
    for (int p = 0; p < PROTO_PHASE_N; p++)
        w_empty_hist(w);
    w_kv(w, "zz", 0);
    w_str(w, "wb");
    w_str(w, "300");
}

Test(proto, phases_of_a_row_are_checked) {
    cr_assert_eq(s_stats_with_phases(1, ph_good), PROTO_OK);
    cr_assert_eq(s_stats_with_phases(0, ph_good), PROTO_ERR_RANGE, "more samples than requests");
    cr_assert_eq(s_stats_with_phases(2, ph_uneven), PROTO_ERR_RANGE, "phases of unequal counts");
    cr_assert_eq(s_stats_with_phases(1, ph_short), PROTO_ERR_FIELD);
    cr_assert_eq(s_stats_with_phases(1, ph_long), PROTO_ERR_FIELD);
    cr_assert_eq(s_stats_with_phases(1, ph_bad_hist), PROTO_ERR_RANGE);
    cr_assert_eq(s_stats_with_phases(1, ph_not_array), PROTO_ERR_FIELD);
    cr_assert_eq(s_stats_with_phases(1, ph_missing), PROTO_ERR_FIELD, "ph is required");
    cr_assert_eq(s_stats_with_phases(1, ph_no_connects), PROTO_ERR_FIELD, "nc is required");
    s_no_leaks();
}
