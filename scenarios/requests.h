/* requests: reads one HTTP request of a scenario (a task, a step or an
 * on_start entry) with its templates, body, query, captures and expects
 * (internal to scenarios/). */
#ifndef BARRAGE_SCENARIOS_REQUESTS_H
#define BARRAGE_SCENARIOS_REQUESTS_H

#include <stdbool.h>

#include "scenarios/scenario.h"
#include "scenarios/yaml_doc.h"

/* Indexes into scenario_request_keys, the keys of a request mapping. */
#define SCENARIO_RQ_N_METHODS 7
enum {
    SCENARIO_RQ_NAME,
    SCENARIO_RQ_METHOD, /* SCENARIO_RQ_METHOD .. + SCENARIO_RQ_N_METHODS - 1 */
    SCENARIO_RQ_HEADERS = SCENARIO_RQ_METHOD + SCENARIO_RQ_N_METHODS,
    SCENARIO_RQ_QUERY,
    SCENARIO_RQ_JSON,
    SCENARIO_RQ_FORM,
    SCENARIO_RQ_BODY,
    SCENARIO_RQ_TIMEOUT,
    SCENARIO_RQ_FOLLOW_REDIRECTS,
    SCENARIO_RQ_CAPTURE,
    SCENARIO_RQ_EXPECT,
    SCENARIO_RQ_TLS,
    SCENARIO_RQ_HTTP,
    SCENARIO_RQ_COMPRESSION,
    SCENARIO_RQ_PROXY,
    SCENARIO_RQ_N_KEYS,
};
/* NULL-terminated, in the order above. */
extern const char *const scenario_request_keys[SCENARIO_RQ_N_KEYS + 1];

/* Fills r from the fields f (found with scenario_request_keys or a superset
 * starting with them) of mapping m; what ("task", "step", "on_start request")
 * names it in messages. Templates may use names; captures' slots index
 * names->vars, which must hold every capture target (see
 * scenario_request_capture_names). */
void scenario_request_read(scenario_doc_t *d, const yaml_node_t *m, const scenario_field_t *f,
                           const char *what, const template_names_t *names, scenario_request_t *r);
/* Frees what r holds (also when half filled). */
void scenario_request_fini(scenario_request_t *r);

/* Appends to (*vars)[*n_vars] the valid capture target names of request
 * mapping m not already there, without reporting anything (a first pass, so
 * that templates anywhere in a class may use any of its variables). */
void scenario_request_capture_names(const scenario_doc_t *d, const yaml_node_t *m, char ***vars,
                                    size_t *n_vars);
/* True if name may name a user variable: [A-Za-z_][A-Za-z0-9_]*, not a
 * built-in (row, seq, user_id, worker_id). */
bool scenario_is_var_name(const char *name);
/* Index of name in vars[0 .. n), or -1. */
long scenario_var_index(const char *const *vars, size_t n, const char *name);

#endif
