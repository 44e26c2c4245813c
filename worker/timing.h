/* timing: where one request's time went — libcurl's cumulative timings
 * (CURLINFO_*_TIME_T) split into the phases DNS, connect, TLS, wait and
 * receive, which add up to curl's total time of the transfer. Pure: the
 * engine reads the timings, this decides. */
#ifndef BARRAGE_WORKER_TIMING_H
#define BARRAGE_WORKER_TIMING_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/proto.h"

/* libcurl's timings of one transfer in us, each from the start of the
 * transfer (0 = that point was not reached or not measured):
 * NAMELOOKUP, CONNECT, APPCONNECT, PRETRANSFER, STARTTRANSFER, TOTAL. On a
 * reused connection libcurl 7.88 sets NAMELOOKUP (a few us) but leaves
 * CONNECT and APPCONNECT at 0; after redirects, every point but TOTAL is the
 * sum over the hops, each measured from the start of its hop. */
typedef struct {
    uint64_t namelookup_us, connect_us, appconnect_us, pretransfer_us, starttransfer_us, total_us;
    bool tls; /* the (last) URL's scheme is https: a handshake is due after connecting */
} timing_curl_t;

/* Splits t into out_us[PROTO_PHASE_*]; the phases add up to t->total_us
 * exactly (when total_us is at least every other point, as libcurl's is):
 *   dns      0 .. namelookup
 *   connect  namelookup .. connect
 *   tls      connect .. appconnect
 *   wait     appconnect (or connect) .. starttransfer: sending the request
 *            and the server's work until its first byte
 *   receive  starttransfer .. total
 * Points that went backwards (reuse, redirect sums) count as reached at the
 * previous point: their phase is 0. A transfer that ended before a point
 * (refused, timed out, failed handshake) gives the rest of the total to the
 * phase it was in: connect after DNS, tls (https) or wait after connecting,
 * wait after the request was sent. */
void timing_split(const timing_curl_t *t, uint64_t out_us[PROTO_PHASE_N]);

#endif
