/* scenario: the in-memory model of a scenario file, and its YAML loader.
 * Only this module touches libyaml.
 *
 * scenario_load parses and validates a whole file, collecting every error
 * (up to SCENARIO_MAX_ERRORS) as compiler-style lines
 * "file:line:col: error: what was expected", so a person fixes them all at
 * once. Unknown keys and wrong types are errors. The model is plain data,
 * owned by the scenario_t and released by scenario_destroy. */
#ifndef BARRAGE_SCENARIOS_SCENARIO_H
#define BARRAGE_SCENARIOS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include "scenarios/jsonpath.h"
#include "scenarios/template.h"

#define SCENARIO_MAX_ERRORS 20

/* Position in the source file, 1-based. */
typedef struct {
    int line;
    int col;
} scenario_pos_t;

typedef struct {
    char *name;
    char *value;       /* as written */
    template_t *tvalue; /* compiled value (escape none) */
} scenario_header_t;

/* A query parameter or form field: name literal, value a template (form-escaped).
 * tvalue renders the value fully encoded: its literal text was form-encoded at
 * load and its {{ }} parts are escaped by the engine; the name is as written
 * (the sender form-encodes it). */
typedef struct {
    char *name;
    char *value;        /* as written */
    template_t *tvalue; /* compiled with TEMPLATE_ESCAPE_FORM */
} scenario_param_t;

typedef enum {
    SCENARIO_CAPTURE_JSON,   /* "json:$.a.b" */
    SCENARIO_CAPTURE_HEADER, /* "header:X-Name" (case-insensitive) */
    SCENARIO_CAPTURE_REGEX,  /* "regex:token=(\w+)" — group 1, or the whole match without groups */
    SCENARIO_CAPTURE_COOKIE, /* "cookie:session" — the value of a cookie the response sets */
} scenario_capture_kind_t;

/* Capture regexes are PCRE2 over bytes (never UTF): '.' matches any byte, newlines too,
 * and '$' only the end of the body, as with POSIX regcomp before (write (?-s) or (?m)
 * to change that). PCRE2_AUTO_CALLOUT lets worker/check.c count a match's work. */
#define SCENARIO_REGEX_OPTIONS \
    (PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY | PCRE2_NEVER_UTF | PCRE2_AUTO_CALLOUT)

/* Limits of one match. A match runs inside the worker's event loop, where it delays
 * every other user's request and skews their latencies: a capture that needs long
 * fails loudly instead ("regex: match limit exceeded"), counted like any failure.
 * PCRE2 counts its own limits afresh at each start position in the body:
 * Match: backtracking steps, about 20 ns each with the work callouts. A lazy repeat
 * takes one per byte it passes (".*?" spans 900 KB in 30 ms); greedy repeats and [^"]*
 * take far fewer; a catastrophic pattern, "(a+)+$" on "aaa...ab", stops after about
 * 20 ms (CPU time, measured on the dev machine).
 * Depth: backtracking points still open, each a frame of about 200 bytes. A repeated
 * group or alternation keeps one or two per iteration: (?:[^"]|\\.)* spans some 100 KB.
 * Heap: those frames, which the match data keeps for the next match; the cap matters when
 * many groups make frames large.
 * Work: the whole match, over every start position, in units of one pattern item tried
 * plus the bytes moved since the last one (PCRE2_AUTO_CALLOUT): BASE + PER_BYTE units
 * per byte of body. It stops what the per-position limits let through, such as a
 * pattern that backtracks a little less than the limit at each of many positions, or
 * a repeat that rescans the rest of the body from each position ("[a-z]*[0-9]" over
 * 100 KB of letters: 9 s without it). Plain captures use a few units per candidate
 * position; one scan of the body one or two per byte; the base covers one start
 * position at the match limit ("regex: work limit exceeded"). A unit costs at most about
 * 10 ns: 40 ms for a 38 KB body, 0.4 s for the largest kept one (8 MiB). */
#define SCENARIO_REGEX_MATCH_LIMIT 1000000u
#define SCENARIO_REGEX_DEPTH_LIMIT 250000u
#define SCENARIO_REGEX_HEAP_LIMIT_KIB 65536u
#define SCENARIO_REGEX_WORK_BASE 4000000u
#define SCENARIO_REGEX_WORK_PER_BYTE 4u

typedef struct {
    char *var;   /* the user variable it sets */
    size_t slot; /* that variable's slot in its class's var_names */
    scenario_capture_kind_t kind;
    char *expr;       /* the text after the "kind:" prefix */
    jsonpath_t *json; /* SCENARIO_CAPTURE_JSON */
    /* SCENARIO_CAPTURE_REGEX: PCRE2, compiled at load (SCENARIO_REGEX_OPTIONS), with
     * match data for groups 0 and 1 reused by every match, and a match context holding
     * the match, depth and heap limits (the matcher sets its work callout on it). */
    pcre2_code *regex;
    pcre2_match_data *regex_match;
    pcre2_match_context *regex_limits;
    scenario_pos_t pos;
} scenario_capture_t;

/* expect: {json: {"$.path": value}} — the extracted value's text equals value's text,
 * or both are JSON numbers of the same value (worker/check.h, check_json_equals). */
typedef struct {
    char *path_text;
    jsonpath_t *path;
    char *equals; /* scalar as text: "ok", "3", "true", "null" */
} scenario_expect_json_t;

typedef struct {
    int *statuses; /* expect.status: one or a list; none = any status below 400 */
    size_t n_statuses;
    char *body_contains; /* NULL = not checked */
    scenario_expect_json_t *json;
    size_t n_json;
    uint64_t max_duration_ms; /* expect.max_duration; 0 = not checked */
} scenario_expect_t;

typedef struct {
    size_t n;
    scenario_header_t *items;
} scenario_headers_t;

/* A file the scenario names (its data: file, the tls: CA, certificate and
 * key), exactly as it was read and parsed when the scenario loaded. Borrowed
 * from the scenario. */
typedef struct {
    const char *name; /* as written in the scenario, e.g. "users.csv"; NULL = none */
    const char *data; /* its data_bytes bytes, with a NUL after them */
    size_t data_bytes;
} scenario_file_t;

/* tls.min_version. */
typedef enum {
    SCENARIO_TLS_ANY = 0, /* not set: libcurl's own minimum */
    SCENARIO_TLS_1_2,
    SCENARIO_TLS_1_3,
} scenario_tls_version_t;

/* tls: {verify, ca, cert, key, min_version}, in defaults: or in a request.
 * A request's keys override the defaults' key by key; scenario_request_tls
 * gives the result. Files are PEM, read by the loader (scenario_file) and
 * handed to libcurl from memory. */
typedef struct {
    int verify;           /* -1 = not set, 0 = off, 1 = on */
    scenario_file_t ca;   /* CA certificates replacing the system's; name NULL = not set */
    scenario_file_t cert; /* client certificate (mutual TLS); may hold its key too */
    scenario_file_t key;  /* the client certificate's private key */
    scenario_tls_version_t min_version;
} scenario_tls_t;

/* http: the HTTP version asked for. */
typedef enum {
    SCENARIO_HTTP_UNSET = 0, /* not set: the defaults', else HTTP/1.1 */
    SCENARIO_HTTP_1_1,       /* "1.1" */
    SCENARIO_HTTP_2,         /* "2": HTTP/2 over TLS by ALPN, HTTP/1.1 when the server lacks it */
    SCENARIO_HTTP_H2C,       /* "h2c": HTTP/2 with prior knowledge (cleartext) */
} scenario_http_t;

/* connections: where requests get their connections (defaults: only: the
 * pool is the worker's, chosen once for the run, not per request). */
typedef enum {
    SCENARIO_CONN_PER_USER = 0, /* per_user: each virtual user its own keep-alive pool (default) */
    SCENARIO_CONN_NEW,          /* new: a fresh connection, and TLS handshake, per request */
    SCENARIO_CONN_SHARED,       /* {shared: N, streams: M}: one pool per worker */
} scenario_conn_mode_t;

/* Streams per HTTP/2 connection when {shared: N} does not say (libcurl's default). */
#define SCENARIO_DEFAULT_STREAMS 100u

typedef struct {
    scenario_conn_mode_t mode;
    uint32_t shared;  /* SHARED: at most this many connections per host, per worker */
    uint32_t streams; /* SHARED: at most this many HTTP/2 streams per connection */
} scenario_connections_t;

/* compression: true | false | [gzip, deflate, br], in defaults: and per request. */
typedef struct {
    int set;      /* -1 not set (the defaults', else off), 0 false, 1 on */
    char *accept; /* on: the Accept-Encoding libcurl sends and decodes; "" = all it supports */
} scenario_compression_t;

/* One HTTP request: a task's only step, or one of its steps. */
typedef struct {
    char *method;               /* upper case: GET POST PUT PATCH DELETE HEAD OPTIONS */
    char *path;                 /* as written: "/x?y=1" or an absolute URL */
    template_t *tpath;          /* compiled path */
    char *name;                 /* stats group; defaults to path (as written) */
    scenario_headers_t headers; /* request-level headers */
    size_t n_query;             /* query: {k: v}, appended with ? or & */
    scenario_param_t *query;
    char *body;                 /* NULL, or the body as written (json: serialized to JSON text,
                                   form: as k=v&... text) */
    size_t body_bytes;
    template_t *tbody;          /* compiled body (JSON escape for json:, form escape per field
                                   for form:); NULL when there is no body */
    char *content_type;         /* NULL, "application/json" (json:) or
                                   "application/x-www-form-urlencoded" (form:) */
    uint64_t timeout_ms;        /* 0 = the defaults' timeout */
    int follow_redirects;       /* -1 = the defaults' (which default to true), 0 no, 1 yes */
    size_t n_captures;
    scenario_capture_t *captures;
    scenario_expect_t expect;
    scenario_tls_t tls;         /* its own tls: keys (unset ones: the defaults') */
    scenario_http_t http;       /* UNSET = the defaults' */
    scenario_compression_t compression; /* set -1 = the defaults' */
    char *proxy;                        /* NULL = the defaults' */
    scenario_pos_t pos;         /* where the request's mapping starts */
} scenario_request_t;

typedef struct {
    char *name; /* NULL for a single-request task (its request's name is used) */
    uint32_t weight;
    size_t n_steps; /* 1 for a single request */
    scenario_request_t *steps;
} scenario_task_t;

typedef enum {
    SCENARIO_THINK_NONE = 0,
    SCENARIO_THINK_CONSTANT, /* wait min_ms after each task */
    SCENARIO_THINK_BETWEEN,  /* wait uniform [min_ms, max_ms] after each task */
    SCENARIO_THINK_PACING,   /* start tasks min_ms apart (start to start) */
} scenario_think_kind_t;

typedef struct {
    scenario_think_kind_t kind;
    uint64_t min_ms;
    uint64_t max_ms;
} scenario_think_t;

typedef struct {
    char *name;
    uint32_t weight;
    scenario_think_t think;
    scenario_headers_t headers; /* class-level headers */
    /* The class's variables: var_names[0 .. n_var_defs-1] are the vars: keys
     * (var_defs[i] their compiled value, rendered once per user in order, so
     * a var may use earlier ones); the rest are capture targets not defined
     * by vars:, in first-seen order. A template's slot indexes var_names. */
    char **var_names;
    size_t n_vars;
    template_t **var_defs;
    size_t n_var_defs;
    size_t n_on_start; /* requests run once per user before its tasks */
    scenario_request_t *on_start;
    size_t n_on_stop; /* requests run once per user when it stops (closed model: at the
                         run's stop or when a rebalance or ramp retires it) */
    scenario_request_t *on_stop;
    size_t n_tasks;
    scenario_task_t *tasks;
} scenario_class_t;

/* What load.stages ramp: the arrival rate (open model) or the users (closed). */
typedef enum {
    SCENARIO_STAGES_NONE = 0,
    SCENARIO_STAGES_RATE,
    SCENARIO_STAGES_USERS,
} scenario_stages_kind_t;

/* One step of a ramp: from the previous target (load.rate or load.users, else
 * 0, for the first) linearly to target over duration_ms. */
typedef struct {
    uint64_t duration_ms; /* > 0 */
    double target;        /* >= 0; a whole number for users */
    scenario_pos_t pos;   /* the stage's mapping ({0, 0} when from the command line) */
} scenario_stage_t;

typedef struct {
    uint32_t users;       /* closed model; 0 = not set */
    double spawn_rate;    /* users per second; 0 = not set */
    uint64_t duration_ms; /* 0 = not set (with stages: their sum) */
    double rate;          /* open model iterations per second; 0 = closed model */
    uint32_t max_users;   /* open model cap; 0 = not set */
    scenario_stages_kind_t stages_kind;
    scenario_stage_t *stages; /* owned; n_stages >= 1 unless kind is NONE */
    size_t n_stages;
} scenario_load_t;

typedef enum {
    SCENARIO_DATA_SEQUENTIAL, /* user n gets row (n-1) mod rows */
    SCENARIO_DATA_RANDOM,     /* each user a uniformly random row */
    SCENARIO_DATA_UNIQUE,     /* user n gets row n-1; more users than rows is an error */
} scenario_data_order_t;

/* data: {file: users.csv, order: ...} — a CSV file with a header row. */
typedef struct {
    char *file; /* as written (relative to the scenario file) */
    scenario_data_order_t order;
    char **columns; /* header row */
    size_t n_columns;
    char **fields; /* row-major: fields[r * n_columns + c] */
    size_t n_rows;
    scenario_pos_t pos;
} scenario_data_t;

/* A file the loader read, owned by the scenario (see scenario_file). */
typedef struct {
    char *name;
    char *data; /* data_bytes bytes and a NUL */
    size_t data_bytes;
} scenario_stored_file_t;

typedef struct {
    char *text;         /* as written, e.g. "p95 < 300ms" or "p95 < 300ms over 30s" */
    char *name;         /* NULL = aggregated, else the stats name it applies to */
    bool abort;         /* abort: true — a failure while running stops the run */
    uint64_t delay_ms;  /* delay: — not before this much of the run (abort only) */
    scenario_pos_t pos;
} scenario_threshold_t;

typedef struct scenario {
    char *file;           /* file name used in diagnostics */
    char *name;           /* scenario name; defaults to the file's base name */
    char *host;           /* NULL if not set (then -H is required) */
    scenario_load_t load;
    bool abort_if_unreachable;   /* stop the run when a name cannot connect at all at first */
    uint64_t default_timeout_ms; /* defaults.timeout, 10000 when not set */
    bool default_follow_redirects; /* defaults.follow_redirects, true when not set */
    scenario_headers_t default_headers;
    scenario_tls_t default_tls;   /* defaults.tls (verify -1 when not set) */
    scenario_http_t default_http; /* defaults.http; UNSET when not set */
    scenario_connections_t connections;         /* defaults.connections; PER_USER when not set */
    scenario_compression_t default_compression; /* defaults.compression (set -1: off) */
    char *default_proxy; /* defaults.proxy; NULL = none (the environment is ignored) */
    char **resolve;      /* defaults.resolve as CURLOPT_RESOLVE entries "host:port:address" */
    size_t n_resolve;
    scenario_data_t *data; /* NULL without data: */
    size_t n_classes;
    scenario_class_t *classes;
    size_t n_thresholds;
    scenario_threshold_t *thresholds;
    char *text; /* the YAML text parsed, byte for byte (NUL after it); see scenario_text */
    size_t text_bytes;
    scenario_stored_file_t *files; /* every file read, once per name, in first-use order */
    size_t n_files;
} scenario_t;

/* Collected diagnostics, each a full line without trailing newline. */
typedef struct {
    size_t n;
    char *lines[SCENARIO_MAX_ERRORS];
    size_t dropped; /* errors beyond SCENARIO_MAX_ERRORS */
} scenario_errors_t;

/* "json", "header", "regex" or "cookie": the prefix of a capture kind, without its ':'. */
const char *scenario_capture_kind_name(scenario_capture_kind_t kind);

/* How the loader reads files a scenario names (data and TLS files). */
typedef struct {
    /* Returns a new buffer with the content of name, or NULL with errno set.
     * *len gets its size. The loader takes the buffer (frees it, or keeps
     * it as scenario_file's bytes). */
    char *(*read)(void *ctx, const char *name, size_t *len);
    void *ctx;
} scenario_files_t;

/* One source of truth: a loaded scenario keeps the exact bytes it parsed —
 * its YAML text and the files it read — so that what is validated is what
 * is hashed and shipped to the workers, each read once. */

/* Parses text (len bytes) as a scenario; file is used in diagnostics.
 * Files it names (data, tls) are read from disk relative to file's directory.
 * Returns a new scenario, or NULL with errs filled (errs may already hold
 * lines; they are appended to). */
scenario_t *scenario_load(const char *file, const char *text, size_t text_bytes,
                          scenario_errors_t *errs);
/* The same, reading the files it names through files (e.g. from a RUN message). */
scenario_t *scenario_load_with(const char *file, const char *text, size_t text_bytes,
                               const scenario_files_t *files, scenario_errors_t *errs);
/* Reads path and calls scenario_load; an unreadable file is one error line
 * "path: error: cannot read: <strerror>". */
scenario_t *scenario_load_file(const char *path, scenario_errors_t *errs);
void scenario_destroy(scenario_t **s);

/* The YAML text s was parsed from, byte for byte, with a NUL after it; its
 * length in *text_bytes. Borrowed: valid until scenario_destroy. */
const char *scenario_text(const scenario_t *s, size_t *text_bytes);
/* The SHA-256 of s's text (scenario_text) as 64 lower case hex digits: what
 * results record as the scenario's identity. Returns a new string (caller
 * frees), or NULL if libsodium cannot be initialised. */
char *scenario_sha256_hex(const scenario_t *s);
/* How many files s read while loading: its data: file and its tls: files,
 * each name once (the same name used twice is read and shipped once). */
size_t scenario_n_files(const scenario_t *s);
/* File i (< scenario_n_files) of s, as read while loading, in first-use
 * order; borrowed. Past the end: an entry of NULLs. */
scenario_file_t scenario_file(const scenario_t *s, size_t i);

/* The TLS settings request r of s runs with: r's tls: keys, the defaults'
 * for the keys r does not set, then the built-in ones (verify on with the
 * system CAs, no client certificate, libcurl's minimum version). verify is
 * 0 or 1 in the result. Borrows s's files. */
scenario_tls_t scenario_request_tls(const scenario_t *s, const scenario_request_t *r);
/* The HTTP version request r of s asks for: r's http:, else the defaults',
 * else SCENARIO_HTTP_1_1. Never SCENARIO_HTTP_UNSET. */
scenario_http_t scenario_request_http(const scenario_t *s, const scenario_request_t *r);
/* The Accept-Encoding request r of s sends, libcurl decoding the answer: r's
 * compression:, else the defaults'; "" = every encoding libcurl supports;
 * NULL = none (no header, the body as it comes). Borrowed from s. */
const char *scenario_request_accept_encoding(const scenario_t *s, const scenario_request_t *r);
/* The proxy URL request r of s goes through: r's proxy:, else the defaults';
 * NULL = none. Borrowed from s. */
const char *scenario_request_proxy(const scenario_t *s, const scenario_request_t *r);
/* "1.1", "2" or "h2c" (as written in a scenario); "" for UNSET. */
const char *scenario_http_name(scenario_http_t v);

/* Parses stages as written on the command line, "30s:100,1m:500" (duration:
 * target, comma-separated; targets >= 0). On success returns 0 with *out a new
 * array (caller frees) of *n_out stages (pos {0, 0}); on error returns -1 with
 * a message in err, e.g. "stage 2: bad duration '1x'". */
int scenario_stages_parse(const char *text, scenario_stage_t **out, size_t *n_out, char *err,
                          size_t err_bytes);

/* Appends a formatted diagnostic line to errs (counts it in dropped when full). */
void scenario_errors_add(scenario_errors_t *errs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Frees the collected lines; errs may be reused after. */
void scenario_errors_fini(scenario_errors_t *errs);

#endif
