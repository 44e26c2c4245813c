/* timing: libcurl's timings of a transfer split into phases that add up. */
#include "worker/timing.h"

/* The next mark: a point not before the previous one (later points never go back). */
static uint64_t s_mark(uint64_t point_us, uint64_t prev_us) {
    return point_us > prev_us ? point_us : prev_us;
}

void timing_split(const timing_curl_t *t, uint64_t out_us[PROTO_PHASE_N]) {
    for (int p = 0; p < PROTO_PHASE_N; p++)
        out_us[p] = 0;
    /* The phase the transfer is in once each point is reached, for a transfer
     * that ends before the next one. */
    int in_phase = PROTO_PHASE_DNS;
    uint64_t at_us = 0;
    if (t->namelookup_us) {
        uint64_t m = s_mark(t->namelookup_us, at_us);
        out_us[PROTO_PHASE_DNS] += m - at_us;
        at_us = m;
        in_phase = PROTO_PHASE_CONNECT;
    }
    if (t->connect_us) {
        uint64_t m = s_mark(t->connect_us, at_us);
        out_us[PROTO_PHASE_CONNECT] += m - at_us;
        at_us = m;
        in_phase = t->tls ? PROTO_PHASE_TLS : PROTO_PHASE_WAIT;
    }
    if (t->appconnect_us) {
        uint64_t m = s_mark(t->appconnect_us, at_us);
        out_us[PROTO_PHASE_TLS] += m - at_us;
        at_us = m;
        in_phase = PROTO_PHASE_WAIT;
    }
    /* Pretransfer: the connection is ready (reused, or set up above). */
    if (t->pretransfer_us) in_phase = PROTO_PHASE_WAIT;
    if (t->starttransfer_us) {
        uint64_t m = s_mark(t->starttransfer_us, at_us);
        out_us[PROTO_PHASE_WAIT] += m - at_us;
        at_us = m;
        in_phase = PROTO_PHASE_RECEIVE;
    }
    out_us[in_phase] += s_mark(t->total_us, at_us) - at_us;
}
