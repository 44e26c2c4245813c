/* yaml_doc: walks a libyaml document with 1-based positions and collects diagnostics
 * (internal to scenarios/; the loader's typed readers build on it).
 *
 * Diagnostics are kept with their position and handed to scenario_errors_t in file
 * order when the walk is done, so a person reads them top to bottom like a
 * compiler's. Every reader below reports its own error and returns false. */
#ifndef BARRAGE_SCENARIOS_YAML_DOC_H
#define BARRAGE_SCENARIOS_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "scenarios/template.h"
#include "scenarios/scenario.h"

typedef struct scenario_diag scenario_diag_t;

/* One file being loaded: its document and the diagnostics found so far. */
typedef struct {
    const char *file;
    yaml_document_t *doc; /* NULL until a document was loaded */
    scenario_diag_t *diags;
    size_t n_diags;
    size_t cap_diags;
    size_t overflow;  /* diagnostics beyond the kept ones */
    const char *text; /* the source, for positions inside scalars; NULL = unknown */
    size_t text_bytes;
    bool mute_row_errors; /* data: was given but failed: row.X errors would only repeat it */
    scenario_t *sc;       /* the scenario being filled (its files and defaults) */
    const scenario_files_t *files; /* how files it names are read */
} scenario_doc_t;

/* A known key of a mapping, as found by scenario_doc_fields. */
typedef struct {
    yaml_node_t *key; /* NULL when the key is absent */
    yaml_node_t *value;
} scenario_field_t;

void scenario_doc_init(scenario_doc_t *d, const char *file, yaml_document_t *doc);
/* Appends the diagnostics to errs in file order and frees them.
 * Returns how many there were (0 = the document is valid). */
size_t scenario_doc_fini(scenario_doc_t *d, scenario_errors_t *errs);

/* Records "file:line:col: error: <fmt...>" at pos, or at node n. */
void scenario_doc_error_at(scenario_doc_t *d, scenario_pos_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void scenario_doc_error(scenario_doc_t *d, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool scenario_doc_has_errors(const scenario_doc_t *d);

scenario_pos_t scenario_doc_pos(const yaml_node_t *n);
/* Position of byte offset of scalar n's value (as libyaml decoded it) in the
 * source. Exact for scalars on one line, also across '' and backslash escapes
 * (columns count characters, like libyaml's); for multi-line scalars,
 * folded line breaks and indentation are matched heuristically, so the
 * position may be a column or so off. Falls back to n's start without source
 * text. */
scenario_pos_t scenario_doc_pos_in(const scenario_doc_t *d, const yaml_node_t *n, size_t offset);
/* True if a precedes b in the file. */
bool scenario_doc_before(const yaml_node_t *a, const yaml_node_t *b);
/* The node at a document index (from a sequence item or a mapping pair). */
yaml_node_t *scenario_doc_node(const scenario_doc_t *d, int index);
/* Number of items of a sequence, and its i-th item. */
size_t scenario_doc_len(const yaml_node_t *seq);
yaml_node_t *scenario_doc_item(const scenario_doc_t *d, const yaml_node_t *seq, size_t i);

/* A scalar's text (borrowed), or NULL for a mapping or a sequence. */
const char *scenario_doc_text(const yaml_node_t *n);
/* True for a plain (unquoted) scalar. */
bool scenario_doc_is_plain(const yaml_node_t *n);
/* True for a plain scalar meaning null: empty, ~, null, Null, NULL. */
bool scenario_doc_is_null(const yaml_node_t *n);
/* Describes n for a "(got ...)" clause: -5, 'many', nothing, a mapping, a sequence.
 * Returns buf. */
const char *scenario_doc_describe(const yaml_node_t *n, char *buf, size_t buf_bytes);

/* Checks mapping m against the NULL-terminated keys and fills out[i] for keys[i].
 * Reports non-string keys, duplicate keys and unknown keys ("unknown key 'x' <where>",
 * suggesting the closest known key). Returns false if m is not a mapping (reported
 * as "<what> must be a mapping"). */
bool scenario_doc_fields(scenario_doc_t *d, yaml_node_t *m, const char *what, const char *where,
                         const char *const *keys, scenario_field_t *out);
/* Reports the key of pair `before` of mapping m if an earlier pair has the same key;
 * returns true if so. */
bool scenario_doc_duplicate(scenario_doc_t *d, const yaml_node_t *m, size_t before);

/* Typed readers: each checks n, reports "<what> must be ..." and returns false on error. */
bool scenario_doc_string(scenario_doc_t *d, const yaml_node_t *n, const char *what, char **out);
bool scenario_doc_uint(scenario_doc_t *d, const yaml_node_t *n, const char *what, uint32_t min,
                       uint32_t *out);
bool scenario_doc_positive(scenario_doc_t *d, const yaml_node_t *n, const char *what, double *out);
/* true/True/TRUE or false/False/FALSE, unquoted. */
bool scenario_doc_bool(scenario_doc_t *d, const yaml_node_t *n, const char *what, bool *out);
/* A duration > 0: "500ms", "1m30s", or a bare number of seconds. */
bool scenario_doc_duration(scenario_doc_t *d, const yaml_node_t *n, const char *what,
                           uint64_t *out_ms);
/* Compiles text (len bytes) as a template. On failure reports the engine's
 * message at scalar n's byte offset base + the error's offset and returns false
 * (*out NULL). */
bool scenario_doc_template(scenario_doc_t *d, const yaml_node_t *n, size_t base, const char *text,
                           size_t len, template_escape_t escape, const template_names_t *names,
                           template_t **out);
/* A mapping of header names to scalar values, each compiled as a template
 * with names; null means no headers. */
bool scenario_doc_headers(scenario_doc_t *d, yaml_node_t *n, const template_names_t *names,
                          scenario_headers_t *out);
void scenario_doc_headers_fini(scenario_headers_t *h);

#endif
