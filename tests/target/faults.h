/* faults: endpoints that misbehave on purpose, to test how barrage counts broken servers.
 *
 *   /fault/reset    200 headers announcing 1 MiB, 1 KiB of body, then a TCP reset
 *                   (SO_LINGER 0) about 20 ms later
 *   /fault/hang     reads the request and never answers (the connection stays open
 *                   until the client gives up)
 *   /fault/garbage  bytes that are not HTTP, then a close
 *   /fault/huge?mb=N  200 with an N MiB body (default 100, at most 4096), generated in
 *                   64 KiB pieces as the socket drains: never held in memory
 *   /fault/drip?ms=N&bytes=M  200 with an M-byte body (default 100) sent one byte every
 *                   N ms (default 100)
 *   /fault/close    closes the connection before sending any byte
 *
 * Any method. The connection is closed after a fault (huge and drip say
 * Connection: close); later pipelined requests on it are not answered. Faults are
 * not counted as served. Routing (faults_route) only picks the fault; the
 * connection plays it step by step through faults_next. */
#ifndef BARRAGE_TARGET_FAULTS_H
#define BARRAGE_TARGET_FAULTS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/strbuf.h"
#include "tests/target/http.h"

typedef enum {
    FAULT_NONE = 0,
    FAULT_RESET,
    FAULT_HANG,
    FAULT_GARBAGE,
    FAULT_HUGE,
    FAULT_DRIP,
    FAULT_CLOSE,
} fault_kind_t;

/* A fault being played on one connection. Plain data: zero is FAULT_NONE. */
typedef struct {
    fault_kind_t kind;
    uint32_t stage;       /* progress through the fault's script */
    uint64_t body_left;   /* huge, drip: body bytes still to send */
    uint32_t interval_ms; /* drip: between two bytes */
} fault_t;

/* What the connection does after faults_next. */
typedef enum {
    FAULT_STEP_SEND,  /* bytes were queued: send them, call faults_next once all are sent */
    FAULT_STEP_WAIT,  /* call faults_next again in *wake_ms */
    FAULT_STEP_IDLE,  /* never anything more; close when the client goes away */
    FAULT_STEP_CLOSE, /* close the connection gracefully */
    FAULT_STEP_RESET, /* close the connection with a TCP reset (faults_reset_socket) */
} fault_step_t;

/* For a path under /fault/: returns true and either sets fault->kind (with its
 * parameters) or, for an unknown fault or a bad parameter, fills resp with a JSON
 * 404 or 400 (fault->kind stays FAULT_NONE; the body is static). False for any
 * other path. */
bool faults_route(const http_request_t *req, fault_t *fault, http_response_t *resp);

/* Advances f: may append bytes to out. Call it first right after routing, then
 * each time out is empty again or the wait it asked for has passed. */
fault_step_t faults_next(fault_t *f, strbuf_t *out, uint32_t *wake_ms);

/* Makes close(fd) send a TCP reset instead of a FIN (SO_LINGER with a zero timeout). */
void faults_reset_socket(int fd);

#endif
