/* proto: msgpack encoding and hostile-input-safe decoding of the wire protocol.
 *
 * Wire format: one msgpack map per frame, short string keys, unsigned ints
 * unless noted. Every message has v (version) and t (type); the bodies:
 *   hello      w worker_id, h hostname, p pid, c cpus
 *   welcome    i worker_index
 *   reject     r reason
 *   run        r run_id, tv tls_no_verify (0 or 1), sn scenario_name, sx scenario_text
 *              (str, sized: any bytes), ho host_override (str or nil), wi worker_index,
 *              wc worker_count, fu first_user_id, u users_per_class [uint], sr spawn_rate (float),
 *              ar arrival_rate (float), mu max_users, d duration_ms,
 *              ri report_interval_ms, hb heartbeat_interval_ms,
 *              f files [{n name, d data (bin)}], sg stages [[duration_us, target (float)]]
 *              (sg only when there are stages)
 *   stats/final r run_id, s seq, u users, dr dropped,
 *              st [{m method, n name, q requests, f failures, b bytes, h hist,
 *                   hv [responses in HTTP/1.0, 1.1, 2, 3], ha http_asked,
 *                   ph [hist dns, connect, tls, wait, receive], nc connects, wb wire_bytes,
 *                   x metrics}],
 *              e [{m method, n name, r reason, c count}]
 *   heartbeat  r run_id, u users, and from a worker its health: hc cpu_permille,
 *              hr rss_kib, hn connections, hl lag_us (each absent = 0)
 *   stop       r run_id
 *   quit       (nothing)
 *   users      r run_id, u users_per_class [uint], sr spawn_rate (float),
 *              fu first_user_id, fn n_user_ids, ar arrival_rate (float), mu max_users
 * A histogram is {c count, lo min, hi max, s sum, b [delta, count, ...]}: the
 * non-zero buckets in increasing order, each index given as the distance from
 * the previous one (the first from -1), so every delta and count is >= 1.
 * Strings other than scenario_text and file data must not contain NUL. */
#include "proto/proto.h"

#include <math.h>
#include <msgpack.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/xmalloc.h"

/* ---- encoding ---------------------------------------------------------- */

/* msgpack's writer: into a strbuf, whose allocation aborts on OOM, so packing never fails. */
static int s_write(void *data, const char *buf, size_t len) {
    strbuf_append(data, buf, len);
    return 0;
}

static void s_strn(msgpack_packer *pk, const char *s, size_t len) {
    msgpack_pack_str(pk, len);
    msgpack_pack_str_body(pk, s, len);
}

static void s_key(msgpack_packer *pk, const char *key) {
    s_strn(pk, key, strlen(key));
}

static void s_put_u64(msgpack_packer *pk, const char *key, uint64_t v) {
    s_key(pk, key);
    msgpack_pack_uint64(pk, v);
}

static void s_put_f64(msgpack_packer *pk, const char *key, double v) {
    s_key(pk, key);
    msgpack_pack_double(pk, v);
}

static void s_put_str(msgpack_packer *pk, const char *key, const char *s) {
    s_key(pk, key);
    s_strn(pk, s ? s : "", s ? strlen(s) : 0);
}

/* The map header and the v and t entries every message starts with. */
static void s_head(msgpack_packer *pk, proto_type_t type, size_t n_body) {
    msgpack_pack_map(pk, n_body + 2);
    s_put_u64(pk, "v", PROTO_VERSION);
    s_put_u64(pk, "t", (uint64_t)type);
}

static void s_enc_histogram(msgpack_packer *pk, const histogram_t *h);

/* Row key "x": [{n name, h histogram}, ...]; absent when the row has none. */
static void s_enc_metrics(msgpack_packer *pk, const proto_stat_t *s) {
    s_key(pk, "x");
    msgpack_pack_array(pk, s->n_metrics);
    for (uint32_t k = 0; k < s->n_metrics; k++) {
        msgpack_pack_map(pk, 2);
        s_put_str(pk, "n", s->metrics[k].name);
        s_key(pk, "h");
        s_enc_histogram(pk, s->metrics[k].values);
    }
}

static void s_enc_histogram(msgpack_packer *pk, const histogram_t *h) {
    size_t n = 0;
    int32_t idx = -1, prev = -1;
    uint64_t count;
    while (h && histogram_next_bucket(h, &idx, &count))
        n++;
    msgpack_pack_map(pk, 5);
    s_put_u64(pk, "c", h ? histogram_count(h) : 0);
    s_put_u64(pk, "lo", h ? histogram_min(h) : 0);
    s_put_u64(pk, "hi", h ? histogram_max(h) : 0);
    s_put_u64(pk, "s", h ? histogram_sum(h) : 0);
    s_key(pk, "b");
    msgpack_pack_array(pk, 2 * n);
    idx = -1;
    while (h && histogram_next_bucket(h, &idx, &count)) {
        msgpack_pack_uint64(pk, (uint64_t)(idx - prev));
        msgpack_pack_uint64(pk, count);
        prev = idx;
    }
}

static void s_enc_stats(msgpack_packer *pk, proto_type_t type, const proto_stats_t *b) {
    s_head(pk, type, 6);
    s_put_u64(pk, "r", b->run_id);
    s_put_u64(pk, "s", b->seq);
    s_put_u64(pk, "u", b->users);
    s_put_u64(pk, "dr", b->dropped);
    s_key(pk, "st");
    msgpack_pack_array(pk, b->n_stats);
    for (uint32_t i = 0; i < b->n_stats; i++) {
        const proto_stat_t *s = &b->stats[i];
        msgpack_pack_map(pk, s->n_metrics ? 12 : 11);
        s_put_str(pk, "m", s->method);
        s_put_str(pk, "n", s->name);
        s_put_u64(pk, "q", s->requests);
        s_put_u64(pk, "f", s->failures);
        s_put_u64(pk, "b", s->bytes);
        s_key(pk, "hv");
        msgpack_pack_array(pk, PROTO_HTTP_N);
        for (int v = 0; v < PROTO_HTTP_N; v++) msgpack_pack_uint64(pk, s->http_versions[v]);
        s_put_u64(pk, "ha", s->http_asked);
        s_key(pk, "h");
        s_enc_histogram(pk, s->latency);
        s_key(pk, "ph");
        msgpack_pack_array(pk, PROTO_PHASE_N);
        for (int p = 0; p < PROTO_PHASE_N; p++)
            s_enc_histogram(pk, s->phases[p]);
        s_put_u64(pk, "nc", s->connects);
        s_put_u64(pk, "wb", s->wire_bytes);
        if (s->n_metrics) s_enc_metrics(pk, s);
    }
    s_key(pk, "e");
    msgpack_pack_array(pk, b->n_errors);
    for (uint32_t i = 0; i < b->n_errors; i++) {
        const proto_error_t *e = &b->errors[i];
        msgpack_pack_map(pk, 4);
        s_put_str(pk, "m", e->method);
        s_put_str(pk, "n", e->name);
        s_put_str(pk, "r", e->reason);
        s_put_u64(pk, "c", e->count);
    }
}

static void s_enc_u32_array(msgpack_packer *pk, const char *key, const uint32_t *v, uint32_t n) {
    s_key(pk, key);
    msgpack_pack_array(pk, n);
    for (uint32_t i = 0; i < n; i++)
        msgpack_pack_uint64(pk, v[i]);
}

static void s_enc_run_arrays(msgpack_packer *pk, const proto_run_t *b) {
    s_enc_u32_array(pk, "u", b->users_per_class, b->n_classes);
    s_key(pk, "f");
    msgpack_pack_array(pk, b->n_files);
    for (uint32_t i = 0; i < b->n_files; i++) {
        const proto_file_t *f = &b->files[i];
        msgpack_pack_map(pk, 2);
        s_put_str(pk, "n", f->name);
        s_key(pk, "d");
        msgpack_pack_bin(pk, f->data ? f->data_bytes : 0);
        msgpack_pack_bin_body(pk, f->data, f->data ? f->data_bytes : 0);
    }
}

static void s_enc_stages(msgpack_packer *pk, const proto_run_t *b) {
    s_key(pk, "sg");
    msgpack_pack_array(pk, b->n_stages);
    for (uint32_t i = 0; i < b->n_stages; i++) {
        msgpack_pack_array(pk, 2);
        msgpack_pack_uint64(pk, b->stages[i].duration_us);
        msgpack_pack_double(pk, b->stages[i].target);
    }
}

static void s_enc_run(msgpack_packer *pk, const proto_run_t *b) {
    s_head(pk, PROTO_RUN, 16 + (b->n_stages > 0));
    if (b->n_stages > 0) s_enc_stages(pk, b);
    s_put_u64(pk, "r", b->run_id);
    s_put_u64(pk, "tv", b->tls_no_verify);
    s_put_str(pk, "sn", b->scenario_name);
    s_key(pk, "sx");
    s_strn(pk, b->scenario_text, b->scenario_text ? b->scenario_bytes : 0);
    s_key(pk, "ho");
    if (b->host_override) {
        s_strn(pk, b->host_override, strlen(b->host_override));
    } else {
        msgpack_pack_nil(pk);
    }
    s_put_u64(pk, "wi", b->worker_index);
    s_put_u64(pk, "wc", b->worker_count);
    s_put_u64(pk, "fu", b->first_user_id);
    s_put_f64(pk, "sr", b->spawn_rate);
    s_put_f64(pk, "ar", b->arrival_rate);
    s_put_u64(pk, "mu", b->max_users);
    s_put_u64(pk, "d", b->duration_ms);
    s_put_u64(pk, "ri", b->report_interval_ms);
    s_put_u64(pk, "hb", b->heartbeat_interval_ms);
    s_enc_run_arrays(pk, b);
}

static void s_enc_users(msgpack_packer *pk, const proto_users_t *b) {
    s_head(pk, PROTO_USERS, 7);
    s_put_u64(pk, "r", b->run_id);
    s_enc_u32_array(pk, "u", b->users_per_class, b->n_classes);
    s_put_f64(pk, "sr", b->spawn_rate);
    s_put_u64(pk, "fu", b->first_user_id);
    s_put_u64(pk, "fn", b->n_user_ids);
    s_put_f64(pk, "ar", b->arrival_rate);
    s_put_u64(pk, "mu", b->max_users);
}

static void s_enc_body(msgpack_packer *pk, const proto_msg_t *m) {
    switch (m->type) {
    case PROTO_HELLO:
        s_head(pk, m->type, 4);
        s_put_str(pk, "w", m->u.hello.worker_id);
        s_put_str(pk, "h", m->u.hello.hostname);
        s_put_u64(pk, "p", m->u.hello.pid);
        s_put_u64(pk, "c", m->u.hello.cpus);
        break;
    case PROTO_WELCOME:
        s_head(pk, m->type, 1);
        s_put_u64(pk, "i", m->u.welcome.worker_index);
        break;
    case PROTO_REJECT:
        s_head(pk, m->type, 1);
        s_put_str(pk, "r", m->u.reject.reason);
        break;
    case PROTO_RUN:
        s_enc_run(pk, &m->u.run);
        break;
    case PROTO_STATS:
    case PROTO_FINAL:
        s_enc_stats(pk, m->type, &m->u.stats);
        break;
    case PROTO_HEARTBEAT:
        s_head(pk, m->type, 6);
        s_put_u64(pk, "r", m->u.heartbeat.run_id);
        s_put_u64(pk, "u", m->u.heartbeat.users);
        s_put_u64(pk, "hc", m->u.heartbeat.health.cpu_permille);
        s_put_u64(pk, "hr", m->u.heartbeat.health.rss_kib);
        s_put_u64(pk, "hn", m->u.heartbeat.health.connections);
        s_put_u64(pk, "hl", m->u.heartbeat.health.lag_us);
        break;
    case PROTO_STOP:
        s_head(pk, m->type, 1);
        s_put_u64(pk, "r", m->u.stop.run_id);
        break;
    case PROTO_USERS:
        s_enc_users(pk, &m->u.users);
        break;
    default:
        s_head(pk, m->type, 0);
        break; /* PROTO_QUIT */
    }
}

int proto_encode(const proto_msg_t *m, char **out, size_t *out_bytes) {
    *out = NULL;
    *out_bytes = 0;
    if (m->type < PROTO_HELLO || m->type >= PROTO_TYPE_MAX) return PROTO_ERR_TYPE;
    bool stats = m->type == PROTO_STATS || m->type == PROTO_FINAL;
    if (stats && m->u.stats.n_stats > PROTO_MAX_STATS) return PROTO_ERR_RANGE;
    uint64_t metrics = 0;
    for (uint32_t i = 0; stats && i < m->u.stats.n_stats; i++) {
        metrics += m->u.stats.stats[i].n_metrics;
    }
    if (metrics > PROTO_MAX_METRICS) return PROTO_ERR_RANGE;
    strbuf_t buf;
    strbuf_init(&buf);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &buf, s_write);
    s_enc_body(&pk, m);
    if (buf.len > PROTO_MAX_FRAME_BYTES) {
        strbuf_fini(&buf);
        return PROTO_ERR_RANGE;
    }
    *out = strbuf_detach(&buf, out_bytes);
    return PROTO_OK;
}

/* ---- pre-scan ---------------------------------------------------------- */

enum { S_SCALAR, S_BYTES, S_ARRAY, S_MAP };

/* Type bytes 0xc4..0xdf: size of the length field, fixed payload bytes, kind. */
static const struct {
    uint8_t len_bytes;
    uint8_t fixed_bytes;
    uint8_t kind;
} s_types[] = {
    {1, 0, S_BYTES},   {2, 0, S_BYTES},  {4, 0, S_BYTES},                    /* bin 8/16/32 */
    {1, 1, S_BYTES},   {2, 1, S_BYTES},  {4, 1, S_BYTES},                    /* ext 8/16/32 */
    {0, 4, S_SCALAR},  {0, 8, S_SCALAR},                                     /* float 32/64 */
    {0, 1, S_SCALAR},  {0, 2, S_SCALAR}, {0, 4, S_SCALAR}, {0, 8, S_SCALAR}, /* uint */
    {0, 1, S_SCALAR},  {0, 2, S_SCALAR}, {0, 4, S_SCALAR}, {0, 8, S_SCALAR}, /* int */
    {0, 2, S_SCALAR},  {0, 3, S_SCALAR}, {0, 5, S_SCALAR}, {0, 9, S_SCALAR},
    {0, 17, S_SCALAR},                                    /* fixext 1..16 */
    {1, 0, S_BYTES},   {2, 0, S_BYTES},  {4, 0, S_BYTES}, /* str 8/16/32 */
    {2, 0, S_ARRAY},   {4, 0, S_ARRAY},  {2, 0, S_MAP},    {4, 0, S_MAP},
};

/* Sizes of the item at p (left bytes available): header bytes, payload bytes,
 * and how many nested objects follow it. Returns -1 on an invalid or cut type. */
static int s_item(const uint8_t *p, size_t left, size_t *head, uint64_t *body, uint64_t *children) {
    uint8_t b = p[0];
    *head = 1;
    *body = *children = 0;
    /* fixints, nil, false, true */
    if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) return 0;
    if (b <= 0x8f) { /* fixmap */
        *children = (uint64_t)(b & 0x0fu) * 2;
        return 0;
    }
    if (b <= 0x9f) { /* fixarray */
        *children = b & 0x0fu;
        return 0;
    }
    if (b <= 0xbf) { /* fixstr */
        *body = b & 0x1fu;
        return 0;
    }
    if (b < 0xc4) return -1; /* 0xc1: never used */
    unsigned t = b - 0xc4u, len_bytes = s_types[t].len_bytes;
    if (left < 1 + (size_t)len_bytes) return -1;
    uint64_t len = 0;
    for (unsigned i = 0; i < len_bytes; i++)
        len = len << 8 | p[1 + i];
    *head = 1 + len_bytes;
    switch (s_types[t].kind) {
    case S_BYTES:
        *body = s_types[t].fixed_bytes + len;
        break;
    case S_ARRAY:
        *children = len;
        break;
    case S_MAP:
        *children = 2 * len;
        break;
    default:
        *body = s_types[t].fixed_bytes;
        break;
    }
    return 0;
}

/* msgpack-c builds a 24-byte object per element (48 per map entry), so a
 * frame of one-byte elements would cost 24 times its size; this caps that at
 * about 200 MB. A real STATS frame holds far fewer (one pair per non-empty
 * histogram bucket). */
#define S_MAX_OBJECTS (1u << 23)

/* Walks the encoding without building anything: exactly one object must span
 * the buffer, and no container may claim more elements than the remaining
 * bytes could hold. This matters because msgpack-c allocates a container's
 * element array from its claimed count before reading any element: without
 * the check, a 5-byte array32 header makes it ask for ~100 GB.
 * Returns 0, PROTO_ERR_MALFORMED, or PROTO_ERR_RANGE past S_MAX_OBJECTS. */
static int s_prescan(const uint8_t *p, size_t n) {
    size_t pos = 0;
    uint64_t pending = 1; /* objects still to read; each needs >= 1 byte */
    for (uint32_t objects = 0; pending > 0; objects++) {
        size_t head;
        uint64_t body, children;
        if (objects == S_MAX_OBJECTS) return PROTO_ERR_RANGE;
        if (pos >= n || s_item(p + pos, n - pos, &head, &body, &children) != 0)
            return PROTO_ERR_MALFORMED;
        if (head > n - pos || body > n - pos - head) return PROTO_ERR_MALFORMED;
        pos += head + (size_t)body;
        pending = pending - 1 + children;
        if (pending > n - pos) return PROTO_ERR_MALFORMED;
    }
    return pos == n ? PROTO_OK : PROTO_ERR_MALFORMED;
}

/* ---- decoding helpers -------------------------------------------------- */

static const msgpack_object *s_get(const msgpack_object *map, const char *key) {
    size_t n = strlen(key);
    for (uint32_t i = 0; i < map->via.map.size; i++) {
        const msgpack_object *k = &map->via.map.ptr[i].key;
        if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == n &&
            memcmp(k->via.str.ptr, key, n) == 0)
            return &map->via.map.ptr[i].val;
    }
    return NULL;
}

static int s_get_u64(const msgpack_object *map, const char *key, uint64_t *out) {
    const msgpack_object *v = s_get(map, key);
    if (!v || v->type != MSGPACK_OBJECT_POSITIVE_INTEGER) return PROTO_ERR_FIELD;
    *out = v->via.u64;
    return PROTO_OK;
}

static int s_get_u32(const msgpack_object *map, const char *key, uint32_t *out) {
    uint64_t v;
    int rc = s_get_u64(map, key, &v);
    if (rc) return rc;
    if (v > UINT32_MAX) return PROTO_ERR_RANGE;
    *out = (uint32_t)v;
    return PROTO_OK;
}

/* An unsigned value that may be absent (then 0). */
static int s_get_u64_or_0(const msgpack_object *map, const char *key, uint64_t *out) {
    *out = 0;
    return s_get(map, key) ? s_get_u64(map, key, out) : PROTO_OK;
}

static int s_get_u32_or_0(const msgpack_object *map, const char *key, uint32_t *out) {
    *out = 0;
    return s_get(map, key) ? s_get_u32(map, key, out) : PROTO_OK;
}

static int s_dec_health(const msgpack_object *o, proto_health_t *h) {
    int rc = s_get_u32_or_0(o, "hc", &h->cpu_permille);
    if (!rc) rc = s_get_u64_or_0(o, "hr", &h->rss_kib);
    if (!rc) rc = s_get_u32_or_0(o, "hn", &h->connections);
    if (!rc) rc = s_get_u32_or_0(o, "hl", &h->lag_us);
    return rc;
}

/* A rate: a float, finite and >= 0. */
static int s_get_rate(const msgpack_object *map, const char *key, double *out) {
    const msgpack_object *v = s_get(map, key);
    if (!v || (v->type != MSGPACK_OBJECT_FLOAT64 && v->type != MSGPACK_OBJECT_FLOAT32))
        return PROTO_ERR_FIELD;
    if (!isfinite(v->via.f64) || v->via.f64 < 0) return PROTO_ERR_RANGE;
    *out = v->via.f64;
    return PROTO_OK;
}

/* A NUL-terminated heap copy of len bytes. */
static char *s_dup(const char *p, size_t len) {
    char *s = xmalloc(len + 1);
    if (len) memcpy(s, p, len);
    s[len] = '\0';
    return s;
}

/* Copies a str (type STR) or bin (BIN) value of any bytes; *out is NUL-terminated. */
static int s_get_bytes(const msgpack_object *map, const char *key, msgpack_object_type type,
                       char **out, size_t *out_bytes) {
    const msgpack_object *v = s_get(map, key);
    if (!v || v->type != type) return PROTO_ERR_FIELD;
    /* str and bin share the {size, ptr} layout. */
    uint32_t size = type == MSGPACK_OBJECT_BIN ? v->via.bin.size : v->via.str.size;
    const char *ptr = type == MSGPACK_OBJECT_BIN ? v->via.bin.ptr : v->via.str.ptr;
    *out = s_dup(ptr, size);
    *out_bytes = size;
    return PROTO_OK;
}

/* A C string: a str value without NUL bytes. */
static int s_get_str(const msgpack_object *map, const char *key, char **out) {
    const msgpack_object *v = s_get(map, key);
    if (!v || v->type != MSGPACK_OBJECT_STR) return PROTO_ERR_FIELD;
    if (v->via.str.size && memchr(v->via.str.ptr, '\0', v->via.str.size)) return PROTO_ERR_RANGE;
    *out = s_dup(v->via.str.ptr, v->via.str.size);
    return PROTO_OK;
}

static int s_get_array(const msgpack_object *map, const char *key,
                       const msgpack_object_array **out) {
    const msgpack_object *v = s_get(map, key);
    if (!v || v->type != MSGPACK_OBJECT_ARRAY) return PROTO_ERR_FIELD;
    *out = &v->via.array;
    return PROTO_OK;
}

/* ---- message bodies ---------------------------------------------------- */

static int s_dec_histogram(const msgpack_object *o, histogram_t *h) {
    uint64_t count = 0, min_us = 0, max_us = 0, sum_us = 0;
    const msgpack_object_array *b = NULL;
    if (o->type != MSGPACK_OBJECT_MAP) return PROTO_ERR_FIELD;
    int rc = s_get_u64(o, "c", &count);
    if (!rc) rc = s_get_u64(o, "lo", &min_us);
    if (!rc) rc = s_get_u64(o, "hi", &max_us);
    if (!rc) rc = s_get_u64(o, "s", &sum_us);
    if (!rc) rc = s_get_array(o, "b", &b);
    if (rc) return rc;
    if (b->size % 2) return PROTO_ERR_RANGE;
    int64_t idx = -1, total = histogram_bucket_total();
    for (uint32_t i = 0; i < b->size; i += 2) {
        const msgpack_object *delta = &b->ptr[i], *n = &b->ptr[i + 1];
        if (delta->type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
            n->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
            return PROTO_ERR_FIELD;
        if (delta->via.u64 == 0 || delta->via.u64 >= (uint64_t)total || n->via.u64 == 0)
            return PROTO_ERR_RANGE;
        idx += (int64_t)delta->via.u64;
        if (idx >= total || histogram_add_bucket(h, (int32_t)idx, n->via.u64) != 0)
            return PROTO_ERR_RANGE;
    }
    if (histogram_count(h) != count || histogram_set_stats(h, min_us, max_us, sum_us) != 0)
        return PROTO_ERR_RANGE;
    return PROTO_OK;
}

static int s_dec_metrics(const msgpack_object *o, proto_stat_t *s, uint32_t *budget) {
    const msgpack_object *x = s_get(o, "x");
    if (!x) return PROTO_OK;
    if (x->type != MSGPACK_OBJECT_ARRAY) return PROTO_ERR_FIELD;
    if (x->via.array.size > *budget) return PROTO_ERR_RANGE;
    *budget -= x->via.array.size;
    /* Count set with the array so proto_msg_fini frees a partial decode. */
    s->n_metrics = x->via.array.size;
    s->metrics = s->n_metrics ? xcalloc(s->n_metrics, sizeof *s->metrics) : NULL;
    for (uint32_t k = 0; k < s->n_metrics; k++) {
        const msgpack_object *e = &x->via.array.ptr[k];
        if (e->type != MSGPACK_OBJECT_MAP) return PROTO_ERR_FIELD;
        int rc = s_get_str(e, "n", &s->metrics[k].name);
        const msgpack_object *h = rc ? NULL : s_get(e, "h");
        if (!rc && !h) rc = PROTO_ERR_FIELD;
        if (rc) return rc;
        s->metrics[k].values = histogram_new();
        rc = s_dec_histogram(h, s->metrics[k].values);
        if (rc) return rc;
    }
    return PROTO_OK;
}

/* "hv": exactly PROTO_HTTP_N counts, together at most the row's requests;
 * "ha": a PROTO_ASKED_* value. */
static int s_dec_http(const msgpack_object *o, proto_stat_t *s) {
    const msgpack_object_array *hv = NULL;
    int rc = s_get_array(o, "hv", &hv);
    if (!rc) rc = s_get_u32(o, "ha", &s->http_asked);
    if (rc) return rc;
    if (hv->size != PROTO_HTTP_N) return PROTO_ERR_FIELD;
    uint64_t left = s->requests;
    for (uint32_t v = 0; v < PROTO_HTTP_N; v++) {
        const msgpack_object *n = &hv->ptr[v];
        if (n->type != MSGPACK_OBJECT_POSITIVE_INTEGER) return PROTO_ERR_FIELD;
        if (n->via.u64 > left) return PROTO_ERR_RANGE;
        left -= n->via.u64;
        s->http_versions[v] = n->via.u64;
    }
    return s->http_asked < PROTO_ASKED_MAX ? PROTO_OK : PROTO_ERR_RANGE;
}

/* "ph": exactly PROTO_PHASE_N histograms, each of the same count, at most
 * the row's requests; "nc", "wb": counts. */
static int s_dec_phases(const msgpack_object *o, proto_stat_t *s) {
    const msgpack_object_array *ph = NULL;
    int rc = s_get_array(o, "ph", &ph);
    if (!rc) rc = s_get_u64(o, "nc", &s->connects);
    if (!rc) rc = s_get_u64(o, "wb", &s->wire_bytes);
    if (rc) return rc;
    if (ph->size != PROTO_PHASE_N) return PROTO_ERR_FIELD;
    for (int p = 0; p < PROTO_PHASE_N; p++) {
        s->phases[p] = histogram_new();
        rc = s_dec_histogram(&ph->ptr[p], s->phases[p]);
        if (rc) return rc;
        uint64_t n = histogram_count(s->phases[p]);
        if (n > s->requests || n != histogram_count(s->phases[0])) return PROTO_ERR_RANGE;
    }
    return PROTO_OK;
}

static int s_dec_stat(const msgpack_object *o, proto_stat_t *s, uint32_t *metric_budget) {
    if (o->type != MSGPACK_OBJECT_MAP) return PROTO_ERR_FIELD;
    int rc = s_get_str(o, "m", &s->method);
    if (!rc) rc = s_get_str(o, "n", &s->name);
    if (!rc) rc = s_get_u64(o, "q", &s->requests);
    if (!rc) rc = s_get_u64(o, "f", &s->failures);
    if (!rc) rc = s_get_u64(o, "b", &s->bytes);
    if (!rc) rc = s_dec_http(o, s);
    const msgpack_object *h = rc ? NULL : s_get(o, "h");
    if (!rc && !h) rc = PROTO_ERR_FIELD;
    if (rc) return rc;
    /* Allocated last, after the cheap checks. */
    s->latency = histogram_new();
    rc = s_dec_histogram(h, s->latency);
    if (!rc) rc = s_dec_phases(o, s);
    return rc ? rc : s_dec_metrics(o, s, metric_budget);
}

static int s_dec_error(const msgpack_object *o, proto_error_t *e) {
    if (o->type != MSGPACK_OBJECT_MAP) return PROTO_ERR_FIELD;
    int rc = s_get_str(o, "m", &e->method);
    if (!rc) rc = s_get_str(o, "n", &e->name);
    if (!rc) rc = s_get_str(o, "r", &e->reason);
    if (!rc) rc = s_get_u64(o, "c", &e->count);
    return rc;
}

static int s_dec_stats(const msgpack_object *o, proto_stats_t *b) {
    const msgpack_object_array *rows = NULL, *errs = NULL;
    int rc = s_get_u32(o, "r", &b->run_id);
    if (!rc) rc = s_get_u32(o, "s", &b->seq);
    if (!rc) rc = s_get_u32(o, "u", &b->users);
    if (!rc) rc = s_get_u64(o, "dr", &b->dropped);
    if (!rc) rc = s_get_array(o, "st", &rows);
    if (!rc) rc = s_get_array(o, "e", &errs);
    if (rc) return rc;
    if (rows->size > PROTO_MAX_STATS) return PROTO_ERR_RANGE;
    /* Counts are set with the arrays so proto_msg_fini frees a partial decode. */
    uint32_t metric_budget = PROTO_MAX_METRICS;
    b->n_stats = rows->size;
    b->stats = rows->size ? xcalloc(rows->size, sizeof *b->stats) : NULL;
    for (uint32_t i = 0; !rc && i < rows->size; i++)
        rc = s_dec_stat(&rows->ptr[i], &b->stats[i], &metric_budget);
    if (rc) return rc;
    b->n_errors = errs->size;
    b->errors = errs->size ? xcalloc(errs->size, sizeof *b->errors) : NULL;
    for (uint32_t i = 0; !rc && i < errs->size; i++)
        rc = s_dec_error(&errs->ptr[i], &b->errors[i]);
    return rc;
}

/* An array of uint32 under key; *n is set with the array so that
 * proto_msg_fini frees a partial decode. */
static int s_get_u32_array(const msgpack_object *map, const char *key, uint32_t **out,
                           uint32_t *n) {
    const msgpack_object_array *a = NULL;
    int rc = s_get_array(map, key, &a);
    if (rc) return rc;
    *n = a->size;
    *out = a->size ? xcalloc(a->size, sizeof **out) : NULL;
    for (uint32_t i = 0; i < a->size; i++) {
        const msgpack_object *u = &a->ptr[i];
        if (u->type != MSGPACK_OBJECT_POSITIVE_INTEGER) return PROTO_ERR_FIELD;
        if (u->via.u64 > UINT32_MAX) return PROTO_ERR_RANGE;
        (*out)[i] = (uint32_t)u->via.u64;
    }
    return PROTO_OK;
}

static int s_dec_run_arrays(const msgpack_object *o, proto_run_t *b) {
    const msgpack_object_array *files = NULL;
    int rc = s_get_u32_array(o, "u", &b->users_per_class, &b->n_classes);
    if (!rc) rc = s_get_array(o, "f", &files);
    if (rc) return rc;
    b->n_files = files->size;
    b->files = files->size ? xcalloc(files->size, sizeof *b->files) : NULL;
    for (uint32_t i = 0; !rc && i < files->size; i++) {
        const msgpack_object *f = &files->ptr[i];
        if (f->type != MSGPACK_OBJECT_MAP) return PROTO_ERR_FIELD;
        rc = s_get_str(f, "n", &b->files[i].name);
        if (!rc)
            rc =
                s_get_bytes(f, "d", MSGPACK_OBJECT_BIN, &b->files[i].data, &b->files[i].data_bytes);
    }
    return rc;
}

/* Optional "sg": [[duration_us, target], ...]. */
static int s_dec_stages(const msgpack_object *o, proto_run_t *b) {
    const msgpack_object *v = s_get(o, "sg");
    if (!v) return PROTO_OK;
    if (v->type != MSGPACK_OBJECT_ARRAY) return PROTO_ERR_FIELD;
    if (v->via.array.size > PROTO_MAX_STAGES) return PROTO_ERR_RANGE;
    b->n_stages = v->via.array.size;
    b->stages = b->n_stages ? xcalloc(b->n_stages, sizeof *b->stages) : NULL;
    for (uint32_t i = 0; i < b->n_stages; i++) {
        const msgpack_object *st = &v->via.array.ptr[i];
        if (st->type != MSGPACK_OBJECT_ARRAY || st->via.array.size != 2) return PROTO_ERR_FIELD;
        const msgpack_object *d = &st->via.array.ptr[0], *t = &st->via.array.ptr[1];
        if (d->type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
            (t->type != MSGPACK_OBJECT_FLOAT64 && t->type != MSGPACK_OBJECT_FLOAT32))
            return PROTO_ERR_FIELD;
        if (!isfinite(t->via.f64) || t->via.f64 < 0) return PROTO_ERR_RANGE;
        b->stages[i] = (ramp_stage_t){.duration_us = d->via.u64, .target = t->via.f64};
    }
    return PROTO_OK;
}

static int s_dec_run(const msgpack_object *o, proto_run_t *b) {
    int rc = s_get_u32(o, "r", &b->run_id);
    if (!rc) rc = s_get_u32(o, "tv", &b->tls_no_verify);
    if (!rc && b->tls_no_verify > 1) rc = PROTO_ERR_RANGE;
    if (!rc) rc = s_get_str(o, "sn", &b->scenario_name);
    if (!rc) rc = s_get_bytes(o, "sx", MSGPACK_OBJECT_STR, &b->scenario_text, &b->scenario_bytes);
    const msgpack_object *ho = s_get(o, "ho");
    if (!rc && ho && ho->type != MSGPACK_OBJECT_NIL) rc = s_get_str(o, "ho", &b->host_override);
    if (!rc) rc = s_get_u32(o, "wi", &b->worker_index);
    if (!rc) rc = s_get_u32(o, "wc", &b->worker_count);
    if (!rc) rc = s_get_u64(o, "fu", &b->first_user_id);
    if (!rc) rc = s_get_rate(o, "sr", &b->spawn_rate);
    if (!rc) rc = s_get_rate(o, "ar", &b->arrival_rate);
    if (!rc) rc = s_get_u32(o, "mu", &b->max_users);
    if (!rc) rc = s_get_u64(o, "d", &b->duration_ms);
    if (!rc) rc = s_get_u32(o, "ri", &b->report_interval_ms);
    if (!rc) rc = s_get_u32(o, "hb", &b->heartbeat_interval_ms);
    if (!rc) rc = s_dec_run_arrays(o, b);
    if (!rc) rc = s_dec_stages(o, b);
    return rc;
}

static int s_dec_users(const msgpack_object *o, proto_users_t *b) {
    int rc = s_get_u32(o, "r", &b->run_id);
    if (!rc) rc = s_get_rate(o, "sr", &b->spawn_rate);
    if (!rc) rc = s_get_u64(o, "fu", &b->first_user_id);
    if (!rc) rc = s_get_u32(o, "fn", &b->n_user_ids);
    if (!rc) rc = s_get_rate(o, "ar", &b->arrival_rate);
    if (!rc) rc = s_get_u32(o, "mu", &b->max_users);
    if (!rc) rc = s_get_u32_array(o, "u", &b->users_per_class, &b->n_classes);
    return rc;
}

static int s_dec_body(const msgpack_object *o, proto_msg_t *m) {
    int rc = PROTO_OK;
    switch (m->type) {
    case PROTO_HELLO:
        rc = s_get_str(o, "w", &m->u.hello.worker_id);
        if (!rc) rc = s_get_str(o, "h", &m->u.hello.hostname);
        if (!rc) rc = s_get_u32(o, "p", &m->u.hello.pid);
        if (!rc) rc = s_get_u32(o, "c", &m->u.hello.cpus);
        return rc;
    case PROTO_WELCOME:
        return s_get_u32(o, "i", &m->u.welcome.worker_index);
    case PROTO_REJECT:
        return s_get_str(o, "r", &m->u.reject.reason);
    case PROTO_RUN:
        return s_dec_run(o, &m->u.run);
    case PROTO_STATS:
    case PROTO_FINAL:
        return s_dec_stats(o, &m->u.stats);
    case PROTO_HEARTBEAT:
        rc = s_get_u32(o, "r", &m->u.heartbeat.run_id);
        if (!rc) rc = s_get_u32(o, "u", &m->u.heartbeat.users);
        if (!rc) rc = s_dec_health(o, &m->u.heartbeat.health);
        return rc;
    case PROTO_STOP:
        return s_get_u32(o, "r", &m->u.stop.run_id);
    case PROTO_USERS:
        return s_dec_users(o, &m->u.users);
    default:
        return PROTO_OK; /* PROTO_QUIT has no body */
    }
}

/* Version first: a peer of another version may number its types differently. */
static int s_dec_msg(const msgpack_object *o, proto_msg_t *m) {
    uint64_t version, type;
    int rc = s_get_u64(o, "v", &version);
    if (rc) return rc;
    if (version > UINT32_MAX) return PROTO_ERR_RANGE;
    bool have_type = s_get_u64(o, "t", &type) == PROTO_OK;
    bool known = have_type && type >= PROTO_HELLO && type < PROTO_TYPE_MAX;
    m->version = (uint32_t)version;
    m->type = known ? (proto_type_t)type : (proto_type_t)0;
    if (version != PROTO_VERSION) return PROTO_ERR_VERSION;
    if (!have_type) return PROTO_ERR_FIELD;
    if (!known) return PROTO_ERR_TYPE;
    return s_dec_body(o, m);
}

int proto_decode(const void *data, size_t data_bytes, proto_msg_t *m) {
    memset(m, 0, sizeof *m);
    if (data_bytes > PROTO_MAX_FRAME_BYTES) return PROTO_ERR_RANGE;
    if (!data || data_bytes == 0) return PROTO_ERR_MALFORMED;
    int rc = s_prescan(data, data_bytes);
    if (rc != PROTO_OK) return rc;
    msgpack_unpacked up;
    msgpack_unpacked_init(&up);
    size_t off = 0;
    rc = PROTO_ERR_MALFORMED;
    if (msgpack_unpack_next(&up, data, data_bytes, &off) == MSGPACK_UNPACK_SUCCESS &&
        off == data_bytes && up.data.type == MSGPACK_OBJECT_MAP)
        rc = s_dec_msg(&up.data, m);
    msgpack_unpacked_destroy(&up);
    if (rc == PROTO_ERR_VERSION) return rc;
    if (rc != PROTO_OK) proto_msg_fini(m);
    return rc;
}

/* ---- ownership and names ----------------------------------------------- */

static void s_fini_run(proto_run_t *b) {
    free(b->scenario_name);
    free(b->scenario_text);
    free(b->host_override);
    free(b->users_per_class);
    for (uint32_t i = 0; b->files && i < b->n_files; i++) {
        free(b->files[i].name);
        free(b->files[i].data);
    }
    free(b->files);
    free(b->stages);
}

static void s_fini_stats(proto_stats_t *b) {
    for (uint32_t i = 0; b->stats && i < b->n_stats; i++) {
        free(b->stats[i].method);
        free(b->stats[i].name);
        histogram_destroy(&b->stats[i].latency);
        for (int p = 0; p < PROTO_PHASE_N; p++)
            histogram_destroy(&b->stats[i].phases[p]);
        for (uint32_t k = 0; b->stats[i].metrics && k < b->stats[i].n_metrics; k++) {
            free(b->stats[i].metrics[k].name);
            histogram_destroy(&b->stats[i].metrics[k].values);
        }
        free(b->stats[i].metrics);
    }
    free(b->stats);
    for (uint32_t i = 0; b->errors && i < b->n_errors; i++) {
        free(b->errors[i].method);
        free(b->errors[i].name);
        free(b->errors[i].reason);
    }
    free(b->errors);
}

void proto_msg_fini(proto_msg_t *m) {
    if (!m) return;
    switch (m->type) {
    case PROTO_HELLO:
        free(m->u.hello.worker_id);
        free(m->u.hello.hostname);
        break;
    case PROTO_REJECT:
        free(m->u.reject.reason);
        break;
    case PROTO_RUN:
        s_fini_run(&m->u.run);
        break;
    case PROTO_STATS:
    case PROTO_FINAL:
        s_fini_stats(&m->u.stats);
        break;
    case PROTO_USERS:
        free(m->u.users.users_per_class);
        break;
    default:
        break;
    }
    memset(m, 0, sizeof *m);
}

const char *proto_strerror(int err) {
    switch (err) {
    case PROTO_OK:
        return "success";
    case PROTO_ERR_MALFORMED:
        return "malformed message";
    case PROTO_ERR_VERSION:
        return "protocol version mismatch";
    case PROTO_ERR_TYPE:
        return "unknown message type";
    case PROTO_ERR_FIELD:
        return "missing or mistyped field";
    case PROTO_ERR_RANGE:
        return "value out of range";
    default:
        return "unknown error";
    }
}

const char *proto_type_name(proto_type_t t) {
    static const char *const names[] = {
        [PROTO_HELLO] = "hello", [PROTO_WELCOME] = "welcome", [PROTO_REJECT] = "reject",
        [PROTO_RUN] = "run",     [PROTO_STATS] = "stats",     [PROTO_HEARTBEAT] = "heartbeat",
        [PROTO_STOP] = "stop",   [PROTO_FINAL] = "final",     [PROTO_QUIT] = "quit",
        [PROTO_USERS] = "users",
    };
    if (t < PROTO_HELLO || t >= PROTO_TYPE_MAX) return "unknown";
    return names[t];
}
