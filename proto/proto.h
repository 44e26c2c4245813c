/* proto: the master/worker wire protocol — message structs and their msgpack
 * encoding. Only this module touches msgpack.
 *
 * Every message is one ZeroMQ frame holding a msgpack map with at least
 * "v" (protocol version, uint) and "t" (message type, uint). Decoders ignore
 * keys they do not know (forward compatible within a version), and refuse
 * anything malformed: wrong types, missing required keys, truncated or
 * trailing bytes, histogram buckets out of range. A decode never crashes and
 * never leaks, whatever the bytes. */
#ifndef BARRAGE_PROTO_PROTO_H
#define BARRAGE_PROTO_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "common/histogram.h"
#include "common/ramp.h"

/* 2: STATS and FINAL lost wall_ms ("w"), which no master read; seq ("s") is now
 * checked by the master (gaps counted, duplicates not merged).
 * 3: RUN carries tls_no_verify ("tv"); each stats row the HTTP versions its
 * responses came in ("hv") and the one its requests asked for ("ha"); a
 * worker's HEARTBEAT its health (CPU, RSS, connections, loop lag). */
#define PROTO_VERSION 3u
/* Limits a decoder enforces against hostile peers (proto_encode refuses to
 * produce a message beyond them). A decoded stats row owns a ~190 KB histogram,
 * hence the row cap. */
#define PROTO_MAX_FRAME_BYTES ((size_t)64 << 20)
#define PROTO_MAX_STATS 1024u
/* Metric histograms in one STATS/FINAL message, all rows together. */
#define PROTO_MAX_METRICS 1024u

typedef enum {
    PROTO_HELLO = 1, /* worker -> master: I am here (identity, host, version) */
    PROTO_WELCOME,   /* master -> worker: accepted, your index */
    PROTO_REJECT,    /* master -> worker (or reverse): refused, with a reason */
    PROTO_RUN,       /* master -> worker: the scenario and this worker's share */
    PROTO_STATS,     /* worker -> master: one report interval's deltas */
    PROTO_HEARTBEAT, /* both ways: still alive */
    PROTO_STOP,      /* master -> worker: stop firing, send your final stats */
    PROTO_FINAL,     /* worker -> master: last deltas of a run (same body as STATS) */
    PROTO_QUIT,      /* master -> worker: exit the daemon */
    PROTO_USERS,     /* master -> worker: a new share of the running run (rebalance) */
    PROTO_TYPE_MAX
} proto_type_t;

/* Decode/encode errors (negative return values). */
enum {
    PROTO_OK = 0,
    PROTO_ERR_MALFORMED = -1, /* not a msgpack map, truncated, trailing bytes */
    PROTO_ERR_VERSION = -2,   /* well-formed but another protocol version */
    PROTO_ERR_TYPE = -3,      /* unknown message type */
    PROTO_ERR_FIELD = -4,     /* a required field is missing or of the wrong type */
    PROTO_ERR_RANGE = -5,     /* a value out of range (e.g. histogram bucket) */
};

/* Static text for an error code above. */
const char *proto_strerror(int err);

typedef struct {
    char *worker_id; /* unique per process, e.g. "host-1234-5" */
    char *hostname;
    uint32_t pid;
    uint32_t cpus;
} proto_hello_t;

typedef struct {
    uint32_t worker_index; /* 0-based position among the run's workers */
} proto_welcome_t;

typedef struct {
    char *reason;
} proto_reject_t;

/* Ramps carry at most this many stages. */
#define PROTO_MAX_STAGES 1024u


/* A file the scenario refers to (e.g. a CSV data file), shipped by content. */
typedef struct {
    char *name; /* as written in the scenario */
    char *data;
    size_t data_bytes;
} proto_file_t;

typedef struct {
    uint32_t run_id;
    uint32_t tls_no_verify; /* 1: verify no server certificate (--tls-no-verify); else 0 */
    char *scenario_name; /* file name for diagnostics */
    char *scenario_text; /* the whole YAML source */
    size_t scenario_bytes;
    char *host_override;          /* NULL or "" = use the scenario's host */
    uint32_t worker_index;        /* this worker's index */
    uint32_t worker_count;        /* workers in the run */
    uint64_t first_user_id;       /* user_id() of this worker's first user; ids are 1-based
                                     and unique across the run's workers */
    uint32_t n_classes;           /* entries in users_per_class */
    uint32_t *users_per_class;    /* this worker's users of each user class */
    double spawn_rate;            /* this worker's users started per second */
    double arrival_rate;          /* open model: this worker's iterations/s (its peak when
                                     there are stages); 0 = closed */
    uint32_t max_users;           /* open model: this worker's concurrency cap */
    uint32_t n_stages;            /* 0 = a constant load */
    ramp_stage_t *stages;        /* this worker's ramp of iterations/s (open) or of its
                                     users (closed; users_per_class is then the peak) */
    uint64_t duration_ms;         /* run time; the master also sends STOP */
    uint32_t report_interval_ms;  /* stats cadence */
    uint32_t heartbeat_interval_ms;
    uint32_t n_files;
    proto_file_t *files;
} proto_run_t;

/* A server-side metric of a row (Server-Timing "db;dur=12.3" or X-Query-Count),
 * its values recorded x1000: a dur in ms as us, a count as milli-counts. */
typedef struct {
    char *name; /* "db", "total", "queries" */
    histogram_t *values; /* owned; NULL is encoded as an empty histogram */
} proto_metric_t;

/* The HTTP versions a row counts responses of (proto_stat_t.http_versions). */
enum { PROTO_HTTP_1_0, PROTO_HTTP_1_1, PROTO_HTTP_2, PROTO_HTTP_3, PROTO_HTTP_N };
/* The HTTP version a row's requests asked for (proto_stat_t.http_asked). */
enum {
    PROTO_ASKED_NONE = 0, /* unknown, or its requests differ */
    PROTO_ASKED_1_1,
    PROTO_ASKED_2,   /* HTTP/2 over TLS (ALPN), 1.1 when the server lacks it */
    PROTO_ASKED_H2C, /* HTTP/2 with prior knowledge */
    PROTO_ASKED_MAX
};

/* The phases of a request's time (worker/timing.h splits curl's timings). */
enum {
    PROTO_PHASE_DNS,
    PROTO_PHASE_CONNECT,
    PROTO_PHASE_TLS,
    PROTO_PHASE_WAIT,    /* request sent .. first response byte: the server's work */
    PROTO_PHASE_RECEIVE, /* first .. last response byte */
    PROTO_PHASE_N
};

/* One (method, name) row of an interval: counts and the latency histogram delta. */
typedef struct {
    char *method;
    char *name;
    uint64_t requests;
    uint64_t failures;
    uint64_t bytes; /* response body bytes received */
    /* Responses by the HTTP version they came in (requests without a response
     * count in none): the sum is at most requests. */
    uint64_t http_versions[PROTO_HTTP_N];
    uint32_t http_asked;  /* PROTO_ASKED_*, < PROTO_ASKED_MAX */
    histogram_t *latency; /* owned; NULL is encoded as an empty histogram */
    /* Where the time went: per PROTO_PHASE_*, the requests that reached curl
     * (each phase holds the same count, at most requests); owned, NULL is
     * encoded as an empty histogram. */
    histogram_t *phases[PROTO_PHASE_N];
    uint64_t connects;    /* new connections opened (CURLINFO_NUM_CONNECTS summed) */
    uint64_t wire_bytes;  /* response bytes as received: headers + body before decoding */
    uint32_t n_metrics;   /* at most PROTO_MAX_METRICS in a whole message */
    proto_metric_t *metrics;
} proto_stat_t;

/* One distinct failure reason with how many times it occurred in the interval. */
typedef struct {
    char *method;
    char *name;
    char *reason; /* e.g. "HTTP 503", "connect: Connection refused" */
    uint64_t count;
} proto_error_t;

/* Body of PROTO_STATS and PROTO_FINAL. */
typedef struct {
    uint32_t run_id;
    uint32_t seq;          /* per-run report sequence number, from 0, one more each report
                              (FINAL included): the master counts a gap as reports lost
                              and does not merge a number it has already merged */
    uint32_t users;        /* active virtual users at that moment */
    uint64_t dropped;      /* open model: iterations not started (cap reached) */
    uint32_t n_stats;
    proto_stat_t *stats;
    uint32_t n_errors;
    proto_error_t *errors;
} proto_stats_t;

/* A worker's health over the last heartbeat interval (a master's heartbeat
 * sends zeros; absent keys decode as 0). */
typedef struct {
    uint32_t cpu_permille;  /* the worker process's CPU (user + system) per wall time,
                               in thousandths of one core: 1000 = one core busy */
    uint64_t rss_kib;       /* its resident memory now */
    uint32_t connections;   /* sockets libcurl has open now */
    uint32_t lag_us;        /* how late its event loop's timers fired, at most */
} proto_health_t;

typedef struct {
    uint32_t run_id; /* 0 = not in a run */
    uint32_t users;
    proto_health_t health;
} proto_heartbeat_t;

typedef struct {
    uint32_t run_id;
} proto_stop_t;

/* Body of PROTO_USERS: a worker's new share of a running run, after a worker
 * was lost or joined. The worker starts or retires users, at spawn_rate, until
 * it has users_per_class; the users it starts take their ids from the block
 * first_user_id .. first_user_id + n_user_ids - 1 (never used before in the run). */
typedef struct {
    uint32_t run_id;
    uint32_t n_classes;        /* entries in users_per_class */
    uint32_t *users_per_class; /* this worker's users of each class from now on */
    double spawn_rate;         /* users started or retired per second; 0 = at once */
    uint64_t first_user_id;
    uint32_t n_user_ids;
    double arrival_rate; /* open model: this worker's iterations/s from now on; 0 = closed */
    uint32_t max_users;  /* open model: this worker's concurrency cap */
} proto_users_t;

typedef struct {
    proto_type_t type;
    uint32_t version; /* set by decode (also on PROTO_ERR_VERSION); encode always writes PROTO_VERSION */
    union {
        proto_hello_t hello;
        proto_welcome_t welcome;
        proto_reject_t reject;
        proto_run_t run;
        proto_stats_t stats; /* PROTO_STATS and PROTO_FINAL */
        proto_heartbeat_t heartbeat;
        proto_stop_t stop;
        proto_users_t users;
    } u;
} proto_msg_t;

/* Encodes m into a new buffer; *out (caller frees with free()) and *out_bytes.
 * NULL strings are sent as "" (host_override: as absent). Returns 0, or
 * PROTO_ERR_TYPE for an unknown type, or PROTO_ERR_RANGE (nothing allocated)
 * beyond PROTO_MAX_STATS rows or PROTO_MAX_FRAME_BYTES. */
int proto_encode(const proto_msg_t *m, char **out, size_t *out_bytes);

/* Decodes one frame into *m (zeroed first). On success m owns all its strings,
 * arrays and histograms: release them with proto_msg_fini. On failure returns a
 * negative PROTO_ERR_* and leaves nothing to free — except that on
 * PROTO_ERR_VERSION m->version and m->type are set so the caller can name the
 * peer's version. */
int proto_decode(const void *data, size_t data_bytes, proto_msg_t *m);

/* Frees everything a decoded (or hand-filled with heap members) message owns
 * and zeroes it. Safe on a zeroed message. */
void proto_msg_fini(proto_msg_t *m);

/* Static name of a type ("hello", "stats", ...) or "unknown". */
const char *proto_type_name(proto_type_t t);

#endif
