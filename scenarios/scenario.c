/* scenario: loads a scenario file (top level, load, defaults, thresholds) and owns the model. */
#include "scenarios/scenario.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "common/file.h"
#include "common/xmalloc.h"
#include "scenarios/classes.h"
#include "scenarios/csv.h"
#include "scenarios/files.h"
#include "scenarios/sha256.h"
#include "scenarios/stages.h"
#include "scenarios/tls.h"
#include "scenarios/transport.h"
#include "scenarios/yaml_doc.h"

#define S_DEFAULT_TIMEOUT_MS 10000
/* Scenario files are hand-written; anything bigger is a mistake. */
#define S_MAX_FILE_BYTES (16u << 20)
/* Data files may be larger: one row per virtual user. */
#define S_MAX_DATA_BYTES (256u << 20)

void scenario_errors_add(scenario_errors_t *errs, const char *fmt, ...) {
    if (errs->n == SCENARIO_MAX_ERRORS) {
        errs->dropped++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char *line = NULL;
    int rc = vasprintf(&line, fmt, ap);
    va_end(ap);
    if (rc < 0) line = xstrdup("barrage: error: (diagnostic lost: out of memory)");
    errs->lines[errs->n++] = line;
}

void scenario_errors_fini(scenario_errors_t *errs) {
    for (size_t i = 0; i < errs->n; i++)
        free(errs->lines[i]);
    errs->n = 0;
    errs->dropped = 0;
}

static void s_data_free(scenario_data_t **dp) {
    scenario_data_t *data = *dp;
    if (!data) return;
    for (size_t i = 0; i < data->n_columns; i++)
        free(data->columns[i]);
    for (size_t i = 0; i < data->n_columns * data->n_rows; i++)
        free(data->fields[i]);
    free(data->columns);
    free(data->fields);
    free(data->file);
    free(data);
    *dp = NULL;
}

void scenario_destroy(scenario_t **sp) {
    if (!sp || !*sp) return;
    scenario_t *s = *sp;
    free(s->file);
    free(s->name);
    free(s->host);
    scenario_doc_headers_fini(&s->default_headers);
    scenario_compression_fini(&s->default_compression);
    free(s->default_proxy);
    scenario_resolve_fini(s);
    scenario_classes_free(s);
    s_data_free(&s->data);
    scenario_files_free(s);
    free(s->load.stages);
    for (size_t i = 0; i < s->n_thresholds; i++) {
        free(s->thresholds[i].text);
        free(s->thresholds[i].name);
    }
    free(s->thresholds);
    free(s->text);
    free(s);
    *sp = NULL;
}

const char *scenario_text(const scenario_t *s, size_t *text_bytes) {
    *text_bytes = s->text_bytes;
    return s->text;
}

char *scenario_sha256_hex(const scenario_t *s) {
    char hex[SHA256_HEX_BYTES];
    if (sha256_hex(s->text, s->text_bytes, hex) != 0) return NULL;
    return xstrdup(hex);
}

size_t scenario_n_files(const scenario_t *s) {
    return s->n_files;
}

scenario_file_t scenario_file(const scenario_t *s, size_t i) {
    if (i >= s->n_files) return (scenario_file_t){0};
    const scenario_stored_file_t *f = &s->files[i];
    return (scenario_file_t){.name = f->name, .data = f->data, .data_bytes = f->data_bytes};
}

scenario_tls_t scenario_request_tls(const scenario_t *s, const scenario_request_t *r) {
    const scenario_tls_t *own = &r->tls, *def = &s->default_tls;
    scenario_tls_t t = {
        .verify = own->verify >= 0   ? own->verify
                  : def->verify >= 0 ? def->verify
                                     : 1,
        .ca = own->ca.name ? own->ca : def->ca,
        .cert = own->cert.name ? own->cert : def->cert,
        .key = own->key.name ? own->key : def->key,
        .min_version = own->min_version != SCENARIO_TLS_ANY ? own->min_version : def->min_version,
    };
    return t;
}

scenario_http_t scenario_request_http(const scenario_t *s, const scenario_request_t *r) {
    if (r->http != SCENARIO_HTTP_UNSET) return r->http;
    return s->default_http != SCENARIO_HTTP_UNSET ? s->default_http : SCENARIO_HTTP_1_1;
}

const char *scenario_request_accept_encoding(const scenario_t *s, const scenario_request_t *r) {
    const scenario_compression_t *c =
        r->compression.set >= 0 ? &r->compression : &s->default_compression;
    return c->set == 1 ? c->accept : NULL;
}

const char *scenario_request_proxy(const scenario_t *s, const scenario_request_t *r) {
    return r->proxy ? r->proxy : s->default_proxy;
}

const char *scenario_http_name(scenario_http_t v) {
    switch (v) {
    case SCENARIO_HTTP_1_1:
        return "1.1";
    case SCENARIO_HTTP_2:
        return "2";
    case SCENARIO_HTTP_H2C:
        return "h2c";
    case SCENARIO_HTTP_UNSET:
        break;
    }
    return "";
}

/* The file's base name without .yaml/.yml: the default scenario name. */
static char *s_base_name(const char *file) {
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t len = strlen(base);
    if (len >= 5 && !strcmp(base + len - 5, ".yaml"))
        len -= 5;
    else if (len >= 4 && !strcmp(base + len - 4, ".yml"))
        len -= 4;
    return len ? xstrndup(base, len) : xstrdup("scenario");
}

static void s_host(scenario_doc_t *d, const yaml_node_t *n, scenario_t *s) {
    char got[96];
    if (!scenario_doc_string(d, n, "host", &s->host)) return;
    const char *rest = !strncmp(s->host, "http://", 7)    ? s->host + 7
                       : !strncmp(s->host, "https://", 8) ? s->host + 8
                                                          : NULL;
    if (!rest) {
        scenario_doc_error(d, n, "host must start with http:// or https:// (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
    } else if (!*rest || *rest == '/') {
        scenario_doc_error(d, n, "host has no address after the scheme (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
    }
}

/* The model's exclusions: rate (open) vs users (closed), and stages vs the
 * keys they replace. f is indexed like s_load's keys. */
static void s_load_conflicts(scenario_doc_t *d, const scenario_field_t *f, scenario_load_t *load) {
    enum { USERS, SPAWN_RATE, DURATION, RATE, MAX_USERS, STAGES };
    scenario_stages_kind_t kind = load->stages_kind;
    if (f[RATE].key && f[USERS].key) {
        bool rate_later = scenario_doc_before(f[USERS].key, f[RATE].key);
        scenario_doc_error(d, rate_later ? f[RATE].key : f[USERS].key,
                           "rate cannot be combined with users (rate is the open model, users "
                           "the closed one)");
    } else if (f[USERS].key && kind == SCENARIO_STAGES_RATE) {
        scenario_doc_error(d, f[USERS].key,
                           "users cannot be combined with rate stages (rate is the open model, "
                           "users the closed one)");
    } else if (f[RATE].key && kind == SCENARIO_STAGES_USERS) {
        scenario_doc_error(d, f[RATE].key,
                           "rate cannot be combined with users stages (rate is the open model, "
                           "users the closed one)");
    }
    if (f[SPAWN_RATE].key && !f[USERS].key && (f[RATE].key || kind == SCENARIO_STAGES_RATE))
        scenario_doc_error(d, f[SPAWN_RATE].key,
                           "spawn_rate starts users (the closed model); with rate the schedule "
                           "starts iterations, whatever spawn_rate says");
    if (f[MAX_USERS].key && !f[RATE].key && kind != SCENARIO_STAGES_RATE)
        scenario_doc_error(d, f[MAX_USERS].key,
                           "max_users needs rate (it caps the open model's concurrent users)");
    if (!f[STAGES].key) return;
    if (f[DURATION].key)
        scenario_doc_error(d, f[DURATION].key,
                           "duration cannot be combined with stages (the run lasts as long as "
                           "its stages)");
    if (f[SPAWN_RATE].key)
        scenario_doc_error(d, f[SPAWN_RATE].key,
                           "spawn_rate cannot be combined with stages (the stages set the ramp)");
    double peak = kind == SCENARIO_STAGES_RATE ? load->rate : load->users;
    for (size_t i = 0; i < load->n_stages; i++)
        if (load->stages[i].target > peak) peak = load->stages[i].target;
    if (kind != SCENARIO_STAGES_NONE && peak <= 0)
        scenario_doc_error(d, f[STAGES].key, "stages never go above 0 %s (nothing would run)",
                           kind == SCENARIO_STAGES_RATE ? "iterations/s" : "users");
}

static void s_load(scenario_doc_t *d, yaml_node_t *n, scenario_load_t *load) {
    static const char *const keys[] = {"users",     "spawn_rate", "duration", "rate",
                                       "max_users", "stages",     NULL};
    enum { USERS, SPAWN_RATE, DURATION, RATE, MAX_USERS, STAGES };
    scenario_field_t f[6];
    if (scenario_doc_is_null(n) || !scenario_doc_fields(d, n, "load", "in load", keys, f)) return;
    if (f[USERS].value) scenario_doc_uint(d, f[USERS].value, "users", 1, &load->users);
    if (f[SPAWN_RATE].value)
        scenario_doc_positive(d, f[SPAWN_RATE].value, "spawn_rate", &load->spawn_rate);
    if (f[DURATION].value)
        scenario_doc_duration(d, f[DURATION].value, "duration", &load->duration_ms);
    if (f[RATE].value) scenario_doc_positive(d, f[RATE].value, "rate", &load->rate);
    if (f[MAX_USERS].value)
        scenario_doc_uint(d, f[MAX_USERS].value, "max_users", 1, &load->max_users);
    if (f[STAGES].value) scenario_stages_read(d, f[STAGES].value, load);
    s_load_conflicts(d, f, load);
}

/* defaults: apply to every class, so their headers may use functions and
 * row.X but no variables (a variable's slot depends on the class). */
static void s_defaults(scenario_doc_t *d, yaml_node_t *n, scenario_t *s) {
    static const char *const keys[] = {
        "timeout",     "headers", "follow_redirects", "tls",     "http",
        "connections", "proxy",   "compression",      "resolve", NULL};
    enum {
        TIMEOUT,
        HEADERS,
        FOLLOW_REDIRECTS,
        TLS,
        HTTP,
        CONNECTIONS,
        PROXY,
        COMPRESSION,
        RESOLVE
    };
    scenario_field_t f[9];
    if (scenario_doc_is_null(n) || !scenario_doc_fields(d, n, "defaults", "in defaults", keys, f))
        return;
    if (f[TIMEOUT].value)
        scenario_doc_duration(d, f[TIMEOUT].value, "timeout", &s->default_timeout_ms);
    template_names_t names = {0};
    if (s->data) {
        names.columns = (const char *const *)s->data->columns;
        names.n_columns = s->data->n_columns;
    }
    if (f[HEADERS].value) scenario_doc_headers(d, f[HEADERS].value, &names, &s->default_headers);
    if (f[FOLLOW_REDIRECTS].value)
        scenario_doc_bool(d, f[FOLLOW_REDIRECTS].value, "follow_redirects",
                          &s->default_follow_redirects);
    if (f[TLS].value) {
        scenario_tls_read(d, f[TLS].value, &s->default_tls);
        scenario_tls_check_pair(d, f[TLS].value, &s->default_tls, NULL);
    }
    if (f[HTTP].value) scenario_http_read(d, f[HTTP].value, &s->default_http);
    if (f[CONNECTIONS].value) scenario_connections_read(d, f[CONNECTIONS].value, &s->connections);
    if (f[PROXY].value) scenario_proxy_read(d, f[PROXY].value, &s->default_proxy);
    if (f[COMPRESSION].value)
        scenario_compression_read(d, f[COMPRESSION].value, &s->default_compression);
    if (f[RESOLVE].value) scenario_resolve_read(d, f[RESOLVE].value, s);
}

/* Reads and parses the data file named by node n into data. */
static bool s_data_file(scenario_doc_t *d, const yaml_node_t *n, scenario_data_t *data) {
    size_t line = 0;
    scenario_file_t file;
    if (!scenario_files_get(d, n, "data", data->file, &file)) return false;
    char msg[200];
    int rc = scenario_csv_parse(file.data, file.data_bytes, data, &line, msg, sizeof msg);
    if (rc != 0) scenario_doc_error(d, n, "%s:%zu: %s", data->file, line, msg);
    return rc == 0;
}

/* data: {file: users.csv, order: sequential|random|unique}. */
static void s_data(scenario_doc_t *d, yaml_node_t *n, scenario_t *s) {
    static const char *const keys[] = {"file", "order", NULL};
    static const char *const orders[] = {"sequential", "random", "unique"};
    enum { FILE_, ORDER };
    scenario_field_t f[2];
    d->mute_row_errors = true; /* until the file is read */
    if (!scenario_doc_fields(d, n, "data", "in data", keys, f)) return;
    scenario_data_t *data = xcalloc(1, sizeof *data);
    data->pos = scenario_doc_pos(n);
    bool ok = true;
    if (f[ORDER].value) {
        const char *t = scenario_doc_text(f[ORDER].value);
        int k = -1;
        for (int i = 0; i < 3 && t; i++)
            if (!strcmp(t, orders[i])) k = i;
        char got[96];
        if (k < 0)
            scenario_doc_error(d, f[ORDER].value,
                               "order must be sequential, random or unique (got %s)",
                               scenario_doc_describe(f[ORDER].value, got, sizeof got));
        else
            data->order = (scenario_data_order_t)k;
        ok &= k >= 0;
    }
    if (!f[FILE_].value) {
        scenario_doc_error(d, n, "data has no file (expected file: users.csv)");
        ok = false;
    } else if (!scenario_doc_string(d, f[FILE_].value, "file", &data->file) ||
               !s_data_file(d, f[FILE_].value, data)) {
        ok = false;
    }
    if (ok) {
        s->data = data;
        d->mute_row_errors = false;
    } else {
        s_data_free(&data);
    }
}

static void s_threshold(scenario_doc_t *d, yaml_node_t *n, scenario_threshold_t *t) {
    static const char *const keys[] = {"name", "check", "abort", "delay", NULL};
    char got[96];
    t->pos = scenario_doc_pos(n);
    if (n->type == YAML_SCALAR_NODE) {
        scenario_doc_string(d, n, "threshold", &t->text);
        return;
    }
    if (n->type != YAML_MAPPING_NODE) {
        scenario_doc_error(d, n,
                           "threshold must be a string like \"p95 < 300ms\" or a mapping "
                           "{name, check} (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return;
    }
    scenario_field_t f[4];
    scenario_doc_fields(d, n, "threshold", "in threshold", keys, f);
    if (f[0].value) scenario_doc_string(d, f[0].value, "name", &t->name);
    if (f[1].value)
        scenario_doc_string(d, f[1].value, "check", &t->text);
    else
        scenario_doc_error(d, n, "threshold has no check (expected e.g. check: \"p99 < 1s\")");
    if (f[2].value) scenario_doc_bool(d, f[2].value, "abort", &t->abort);
    if (f[3].value) {
        scenario_doc_duration(d, f[3].value, "delay", &t->delay_ms);
        if (!t->abort)
            scenario_doc_error(d, f[3].value,
                               "delay applies to a threshold with abort: true (it says how long "
                               "the run goes on before the threshold may stop it)");
    }
}

static void s_thresholds(scenario_doc_t *d, yaml_node_t *n, scenario_t *s) {
    char got[96];
    if (scenario_doc_is_null(n)) return;
    if (n->type != YAML_SEQUENCE_NODE) {
        scenario_doc_error(d, n, "thresholds must be a list (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return;
    }
    s->n_thresholds = scenario_doc_len(n);
    s->thresholds = xcalloc(s->n_thresholds, sizeof s->thresholds[0]);
    for (size_t i = 0; i < s->n_thresholds; i++)
        s_threshold(d, scenario_doc_item(d, n, i), &s->thresholds[i]);
}

/* Fills s from the document's root node. */
static void s_top(scenario_doc_t *d, yaml_node_t *root, scenario_t *s) {
    static const char *const keys[] = {"name",       "host",  "load",
                                       "data",       "defaults", "thresholds",
                                       "users",      "abort_if_unreachable", NULL};
    enum { NAME, HOST, LOAD, DATA, DEFAULTS, THRESHOLDS, USERS, ABORT_UNREACHABLE };
    scenario_field_t f[8];
    if (!scenario_doc_fields(d, root, "the top level", "at top level", keys, f)) return;
    if (f[NAME].value) scenario_doc_string(d, f[NAME].value, "name", &s->name);
    if (f[HOST].value) s_host(d, f[HOST].value, s);
    if (f[LOAD].value) s_load(d, f[LOAD].value, &s->load);
    /* Before anything with templates: row.X needs the columns. */
    if (f[DATA].value) s_data(d, f[DATA].value, s);
    if (f[DEFAULTS].value) s_defaults(d, f[DEFAULTS].value, s);
    if (f[THRESHOLDS].value) s_thresholds(d, f[THRESHOLDS].value, s);
    if (f[ABORT_UNREACHABLE].value)
        scenario_doc_bool(d, f[ABORT_UNREACHABLE].value, "abort_if_unreachable",
                          &s->abort_if_unreachable);
    if (f[USERS].value)
        scenario_classes_read(d, f[USERS].value, s);
    else
        scenario_doc_error(d, root, "missing key 'users' (expected a list of user classes)");
}

/* Line and column of a byte offset (libyaml's reader errors carry only the offset). */
static scenario_pos_t s_offset_pos(const char *text, size_t text_bytes, size_t offset) {
    scenario_pos_t pos = {1, 1};
    for (size_t i = 0; i < offset && i < text_bytes; i++) {
        if (text[i] == '\n')
            pos.line++, pos.col = 1;
        else
            pos.col++;
    }
    return pos;
}

static void s_syntax_error(scenario_doc_t *d, const yaml_parser_t *p, const char *text,
                           size_t text_bytes) {
    const char *problem = p->problem ? p->problem : "cannot parse";
    if (p->error == YAML_READER_ERROR) {
        scenario_pos_t pos = s_offset_pos(text, text_bytes, p->problem_offset);
        if (p->problem_value >= 0)
            scenario_doc_error_at(d, pos, "invalid YAML: %s (byte 0x%02x)", problem,
                                  (unsigned)p->problem_value);
        else
            scenario_doc_error_at(d, pos, "invalid YAML: %s", problem);
        return;
    }
    scenario_pos_t pos = {(int)p->problem_mark.line + 1, (int)p->problem_mark.column + 1};
    if (p->context)
        scenario_doc_error_at(d, pos, "invalid YAML: %s (%s at %d:%d)", problem, p->context,
                              (int)p->context_mark.line + 1, (int)p->context_mark.column + 1);
    else
        scenario_doc_error_at(d, pos, "invalid YAML: %s", problem);
}

/* Loads the one document of the stream into doc; reports syntax errors, an empty
 * file and a second document. Returns doc's root, or NULL (doc then needs no delete). */
static yaml_node_t *s_parse(scenario_doc_t *d, yaml_parser_t *p, yaml_document_t *doc,
                            const char *text, size_t text_bytes) {
    if (!yaml_parser_load(p, doc)) {
        s_syntax_error(d, p, text, text_bytes);
        return NULL;
    }
    yaml_node_t *root = yaml_document_get_root_node(doc);
    if (!root) {
        yaml_document_delete(doc);
        scenario_doc_error_at(d, (scenario_pos_t){1, 1},
                              "empty file (expected a mapping with at least users:)");
        return NULL;
    }
    yaml_document_t next;
    if (!yaml_parser_load(p, &next)) {
        s_syntax_error(d, p, text, text_bytes);
    } else {
        yaml_node_t *extra = yaml_document_get_root_node(&next);
        if (extra)
            scenario_doc_error_at(
                d, (scenario_pos_t){(int)next.start_mark.line + 1, (int)next.start_mark.column + 1},
                "a second YAML document (a scenario file holds one)");
        yaml_document_delete(&next);
    }
    return root;
}

/* Parses *owned (text_bytes, NUL after them) and keeps it as the scenario's
 * text; takes the buffer in every case (*owned is NULL after). */
static scenario_t *s_load_owned(const char *file, char **owned, size_t text_bytes,
                                const scenario_files_t *files, scenario_errors_t *errs) {
    const char *text = *owned;
    scenario_doc_t d;
    yaml_document_t doc;
    yaml_parser_t parser;
    scenario_doc_init(&d, file, NULL);
    d.text = text;
    d.text_bytes = text ? text_bytes : 0;
    if (!yaml_parser_initialize(&parser)) xfatal("yaml_parser_initialize failed (out of memory)");
    yaml_parser_set_input_string(&parser, (const unsigned char *)(text ? text : ""),
                                 text ? text_bytes : 0);
    scenario_t *s = xcalloc(1, sizeof *s);
    s->text = *owned;
    s->text_bytes = text_bytes;
    *owned = NULL;
    s->file = xstrdup(file);
    s->default_timeout_ms = S_DEFAULT_TIMEOUT_MS;
    s->default_follow_redirects = true;
    s->default_tls.verify = -1;
    s->default_compression.set = -1;
    d.sc = s;
    d.files = files;
    yaml_node_t *root = s_parse(&d, &parser, &doc, text, text_bytes);
    if (root) {
        d.doc = &doc;
        s_top(&d, root, s);
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    if (!s->name) s->name = s_base_name(file);
    if (scenario_doc_fini(&d, errs) > 0) scenario_destroy(&s);
    return s;
}

scenario_t *scenario_load_with(const char *file, const char *text, size_t text_bytes,
                               const scenario_files_t *files, scenario_errors_t *errs) {
    if (!text) text_bytes = 0;
    char *copy = xmalloc(text_bytes + 1);
    if (text_bytes) memcpy(copy, text, text_bytes);
    copy[text_bytes] = '\0';
    return s_load_owned(file, &copy, text_bytes, files, errs);
}

/* The default reader: ctx is the scenario file's directory ("" = current). */
static char *s_read_beside(void *ctx, const char *name, size_t *len) {
    const char *dir = ctx;
    char *path = name[0] == '/' || !*dir ? xstrdup(name) : xasprintf("%s/%s", dir, name);
    char *text = file_read(path, S_MAX_DATA_BYTES, len);
    int err = errno;
    free(path);
    errno = err;
    return text;
}

/* The directory of file, for s_read_beside ("" = the current one). Caller frees. */
static char *s_dir_of(const char *file) {
    const char *slash = strrchr(file, '/');
    return slash ? xstrndup(file, (size_t)(slash - file) + (slash == file)) : xstrdup("");
}

scenario_t *scenario_load(const char *file, const char *text, size_t text_bytes,
                          scenario_errors_t *errs) {
    char *dir = s_dir_of(file);
    scenario_files_t files = {.read = s_read_beside, .ctx = dir};
    scenario_t *s = scenario_load_with(file, text, text_bytes, &files, errs);
    free(dir);
    return s;
}

scenario_t *scenario_load_file(const char *path, scenario_errors_t *errs) {
    size_t len = 0;
    char *buf = file_read(path, S_MAX_FILE_BYTES, &len);
    if (!buf) {
        scenario_errors_add(errs, "%s: error: cannot read: %s", path,
                            errno == EFBIG ? "larger than 16 MiB" : strerror(errno));
        return NULL;
    }
    /* The buffer read becomes the scenario's text: no copy. */
    char *dir = s_dir_of(path);
    scenario_files_t files = {.read = s_read_beside, .ctx = dir};
    scenario_t *s = s_load_owned(path, &buf, len, &files, errs);
    free(dir);
    return s;
}
