/* scenario: loads a scenario file (top level, load, defaults, thresholds) and owns the model. */
#include "scenarios/scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "common/xmalloc.h"
#include "scenarios/classes.h"
#include "scenarios/yaml_doc.h"

#define S_DEFAULT_TIMEOUT_MS 10000
/* Scenario files are hand-written; anything bigger is a mistake. */
#define S_MAX_FILE_BYTES (16u << 20)

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

void scenario_destroy(scenario_t **sp) {
    if (!sp || !*sp) return;
    scenario_t *s = *sp;
    free(s->file);
    free(s->name);
    free(s->host);
    scenario_doc_headers_fini(&s->default_headers);
    scenario_classes_free(s);
    for (size_t i = 0; i < s->n_thresholds; i++) {
        free(s->thresholds[i].text);
        free(s->thresholds[i].name);
    }
    free(s->thresholds);
    free(s);
    *sp = NULL;
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

static void s_load(scenario_doc_t *d, yaml_node_t *n, scenario_load_t *load) {
    static const char *const keys[] = {"users", "spawn_rate", "duration",
                                       "rate",  "max_users",  NULL};
    enum { USERS, SPAWN_RATE, DURATION, RATE, MAX_USERS };
    scenario_field_t f[5];
    if (scenario_doc_is_null(n) || !scenario_doc_fields(d, n, "load", "in load", keys, f)) return;
    if (f[USERS].value) scenario_doc_uint(d, f[USERS].value, "users", 1, &load->users);
    if (f[SPAWN_RATE].value)
        scenario_doc_positive(d, f[SPAWN_RATE].value, "spawn_rate", &load->spawn_rate);
    if (f[DURATION].value)
        scenario_doc_duration(d, f[DURATION].value, "duration", &load->duration_ms);
    if (f[RATE].value) scenario_doc_positive(d, f[RATE].value, "rate", &load->rate);
    if (f[MAX_USERS].value)
        scenario_doc_uint(d, f[MAX_USERS].value, "max_users", 1, &load->max_users);
    if (f[RATE].key && f[USERS].key) {
        bool rate_later = scenario_doc_before(f[USERS].key, f[RATE].key);
        scenario_doc_error(d, rate_later ? f[RATE].key : f[USERS].key,
                           "rate cannot be combined with users (rate is the open model, users "
                           "the closed one)");
    }
    if (f[MAX_USERS].key && !f[RATE].key)
        scenario_doc_error(d, f[MAX_USERS].key,
                           "max_users needs rate (it caps the open model's concurrent users)");
}

static void s_defaults(scenario_doc_t *d, yaml_node_t *n, scenario_t *s) {
    static const char *const keys[] = {"timeout", "headers", NULL};
    scenario_field_t f[2];
    if (scenario_doc_is_null(n) || !scenario_doc_fields(d, n, "defaults", "in defaults", keys, f))
        return;
    if (f[0].value) scenario_doc_duration(d, f[0].value, "timeout", &s->default_timeout_ms);
    if (f[1].value) scenario_doc_headers(d, f[1].value, &s->default_headers);
}

static void s_threshold(scenario_doc_t *d, yaml_node_t *n, scenario_threshold_t *t) {
    static const char *const keys[] = {"name", "check", NULL};
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
    scenario_field_t f[2];
    scenario_doc_fields(d, n, "threshold", "in threshold", keys, f);
    if (f[0].value) scenario_doc_string(d, f[0].value, "name", &t->name);
    if (f[1].value)
        scenario_doc_string(d, f[1].value, "check", &t->text);
    else
        scenario_doc_error(d, n, "threshold has no check (expected e.g. check: \"p99 < 1s\")");
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
    static const char *const keys[] = {"name",       "host",  "load", "defaults",
                                       "thresholds", "users", NULL};
    enum { NAME, HOST, LOAD, DEFAULTS, THRESHOLDS, USERS };
    scenario_field_t f[6];
    if (!scenario_doc_fields(d, root, "the top level", "at top level", keys, f)) return;
    if (f[NAME].value) scenario_doc_string(d, f[NAME].value, "name", &s->name);
    if (f[HOST].value) s_host(d, f[HOST].value, s);
    if (f[LOAD].value) s_load(d, f[LOAD].value, &s->load);
    if (f[DEFAULTS].value) s_defaults(d, f[DEFAULTS].value, s);
    if (f[THRESHOLDS].value) s_thresholds(d, f[THRESHOLDS].value, s);
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

scenario_t *scenario_load(const char *file, const char *text, size_t text_bytes,
                          scenario_errors_t *errs) {
    scenario_doc_t d;
    yaml_document_t doc;
    yaml_parser_t parser;
    scenario_doc_init(&d, file, NULL);
    if (!yaml_parser_initialize(&parser)) {
        fprintf(stderr, "barrage: fatal: yaml_parser_initialize failed at %s:%d\n", __FILE__,
                __LINE__);
        abort();
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)(text ? text : ""),
                                 text ? text_bytes : 0);
    scenario_t *s = xcalloc(1, sizeof *s);
    s->file = xstrdup(file);
    s->default_timeout_ms = S_DEFAULT_TIMEOUT_MS;
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

scenario_t *scenario_load_file(const char *path, scenario_errors_t *errs) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        scenario_errors_add(errs, "%s: error: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    size_t len = 0, cap = 4096;
    char *buf = xmalloc(cap);
    const char *why = NULL;
    for (;;) {
        if (len == cap) {
            if (cap >= S_MAX_FILE_BYTES) {
                why = "larger than 16 MiB";
                break;
            }
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) why = strerror(errno);
        if (n <= 0) break;
        len += (size_t)n;
    }
    close(fd);
    scenario_t *s = NULL;
    if (why)
        scenario_errors_add(errs, "%s: error: cannot read: %s", path, why);
    else
        s = scenario_load(path, buf, len, errs);
    free(buf);
    return s;
}
