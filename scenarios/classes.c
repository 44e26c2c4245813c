/* classes: user classes, think times, tasks and requests of a scenario file. */
#include "scenarios/classes.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/units.h"
#include "common/xmalloc.h"
#include "scenarios/requests.h"

/* A task's keys: a request's, then its own. */
enum { S_WEIGHT = SCENARIO_RQ_N_KEYS, S_STEPS, S_N_TASK_KEYS };
#define S_THINK_FORMS "none, constant 1s, between 2s 5s, pacing 3s"

static const char *const s_task_keys[] = {
    "name",    "get",    "post",    "put",     "patch",
    "delete",  "head",   "options", "headers", "query",
    "json",    "form",   "body",    "timeout", "follow_redirects",
    "capture", "expect", "tls",     "http",    "compression",
    "proxy",   "weight", "steps",   NULL,
};
_Static_assert(sizeof s_task_keys / sizeof s_task_keys[0] == S_N_TASK_KEYS + 1, "task keys");

static void s_steps(scenario_doc_t *d, const yaml_node_t *n, const template_names_t *names,
                    scenario_task_t *t) {
    char got[96];
    if (n->type != YAML_SEQUENCE_NODE) {
        scenario_doc_error(d, n, "steps must be a list of requests (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return;
    }
    if (scenario_doc_len(n) == 0) {
        scenario_doc_error(d, n, "steps must list at least one request");
        return;
    }
    t->n_steps = scenario_doc_len(n);
    t->steps = xcalloc(t->n_steps, sizeof t->steps[0]);
    for (size_t i = 0; i < t->n_steps; i++) {
        yaml_node_t *m = scenario_doc_item(d, n, i);
        scenario_field_t f[SCENARIO_RQ_N_KEYS];
        if (scenario_doc_fields(d, m, "step", "in step", scenario_request_keys, f))
            scenario_request_read(d, m, f, "step", names, &t->steps[i]);
    }
}

/* Reads one task; returns false if its weight is unusable (then the sum is not checked). */
static bool s_task(scenario_doc_t *d, yaml_node_t *m, const template_names_t *names,
                   scenario_task_t *t) {
    scenario_field_t f[S_N_TASK_KEYS];
    t->weight = 1;
    if (!scenario_doc_fields(d, m, "task", "in task", s_task_keys, f)) return true;
    bool weight_ok =
        !f[S_WEIGHT].value || scenario_doc_uint(d, f[S_WEIGHT].value, "weight", 0, &t->weight);
    if (!f[S_STEPS].value) {
        t->n_steps = 1;
        t->steps = xcalloc(1, sizeof t->steps[0]);
        scenario_request_read(d, m, f, "task", names, &t->steps[0]);
        return weight_ok;
    }
    for (int i = SCENARIO_RQ_METHOD; i < SCENARIO_RQ_N_KEYS; i++) {
        if (f[i].key)
            scenario_doc_error(d, f[i].key, "'%s' cannot be used with steps (move it into a step)",
                               s_task_keys[i]);
    }
    if (f[SCENARIO_RQ_NAME].value)
        scenario_doc_string(d, f[SCENARIO_RQ_NAME].value, "name", &t->name);
    else
        scenario_doc_error(d, m, "a task with steps needs a name (its stats group)");
    s_steps(d, f[S_STEPS].value, names, t);
    return weight_ok;
}

static void s_tasks(scenario_doc_t *d, yaml_node_t *n, const template_names_t *names,
                    scenario_class_t *c) {
    char got[96];
    if (n->type != YAML_SEQUENCE_NODE) {
        scenario_doc_error(d, n, "tasks must be a list (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return;
    }
    if (scenario_doc_len(n) == 0) {
        scenario_doc_error(d, n, "tasks must list at least one task");
        return;
    }
    c->n_tasks = scenario_doc_len(n);
    c->tasks = xcalloc(c->n_tasks, sizeof c->tasks[0]);
    bool weights_ok = true;
    uint64_t sum = 0;
    for (size_t i = 0; i < c->n_tasks; i++) {
        weights_ok &= s_task(d, scenario_doc_item(d, n, i), names, &c->tasks[i]);
        sum += c->tasks[i].weight;
    }
    if (weights_ok && sum == 0)
        scenario_doc_error(d, n, "task weights sum to 0 (at least one task needs weight >= 1)");
}

/* One duration inside a think value; 0 is allowed there. */
static bool s_think_duration(scenario_doc_t *d, const yaml_node_t *n, const char *word,
                             uint64_t *out_ms) {
    if (units_parse_duration_ms(word, out_ms) == 0) return true;
    scenario_doc_error(d, n, "bad duration '%s' in think (expected e.g. 500ms, 10s, 2m, 1h)", word);
    return false;
}

static void s_think(scenario_doc_t *d, const yaml_node_t *n, scenario_think_t *th) {
    char got[96];
    const char *t = scenario_doc_text(n);
    char w[4][64] = {{0}};
    int words = t ? sscanf(t, "%63s %63s %63s %63s", w[0], w[1], w[2], w[3]) : 0;
    scenario_think_t out = {0};
    bool shape = true;
    if (words == 1 && !strcmp(w[0], "none")) {
        out.kind = SCENARIO_THINK_NONE;
    } else if (words == 2 && (!strcmp(w[0], "constant") || !strcmp(w[0], "pacing"))) {
        out.kind = w[0][0] == 'c' ? SCENARIO_THINK_CONSTANT : SCENARIO_THINK_PACING;
        if (!s_think_duration(d, n, w[1], &out.min_ms)) return;
        out.max_ms = out.min_ms;
    } else if (words == 3 && !strcmp(w[0], "between")) {
        out.kind = SCENARIO_THINK_BETWEEN;
        bool ok = s_think_duration(d, n, w[1], &out.min_ms);
        if (!s_think_duration(d, n, w[2], &out.max_ms) || !ok) return;
        if (out.min_ms > out.max_ms) {
            scenario_doc_error(d, n, "think between needs min <= max (got %s > %s)", w[1], w[2]);
            return;
        }
    } else {
        shape = false;
    }
    if (!shape) {
        scenario_doc_error(d, n, "think must be one of " S_THINK_FORMS " (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return;
    }
    *th = out;
}

/* on_start / on_stop (key): a list of requests run once per user, before its
 * tasks or when it stops, into *out and *n. */
static void s_once(scenario_doc_t *d, const yaml_node_t *n, const char *key,
                   const template_names_t *names, scenario_request_t **out, size_t *n_out) {
    char got[96], what[32];
    if (scenario_doc_is_null(n)) return;
    if (n->type != YAML_SEQUENCE_NODE) {
        scenario_doc_error(d, n, "%s must be a list of requests (got %s)", key,
                           scenario_doc_describe(n, got, sizeof got));
        return;
    }
    snprintf(what, sizeof what, "%s request", key);
    char where[40];
    snprintf(where, sizeof where, "in %s request", key);
    *n_out = scenario_doc_len(n);
    *out = xcalloc(*n_out ? *n_out : 1, sizeof **out);
    for (size_t i = 0; i < *n_out; i++) {
        yaml_node_t *m = scenario_doc_item(d, n, i);
        scenario_field_t f[SCENARIO_RQ_N_KEYS];
        if (scenario_doc_fields(d, m, what, where, scenario_request_keys, f))
            scenario_request_read(d, m, f, what, names, &(*out)[i]);
    }
}

/* vars: {name: template}: names checked, in order, into c->var_names. Returns
 * the value nodes (caller frees), one per name, for compiling later. */
static const yaml_node_t **s_var_names(scenario_doc_t *d, const yaml_node_t *n,
                                       scenario_class_t *c) {
    char got[96];
    if (scenario_doc_is_null(n)) return NULL;
    if (n->type != YAML_MAPPING_NODE) {
        scenario_doc_error(d, n, "vars must be a mapping of name: value (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return NULL;
    }
    size_t total = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    const yaml_node_t **values = xcalloc(total ? total : 1, sizeof *values);
    c->var_names = xcalloc(total ? total : 1, sizeof c->var_names[0]);
    for (size_t i = 0; i < total; i++) {
        const yaml_node_pair_t *pair = &n->data.mapping.pairs.start[i];
        const yaml_node_t *key = scenario_doc_node(d, pair->key);
        const char *name = scenario_doc_text(key);
        if (!scenario_is_var_name(name)) {
            scenario_doc_error(d, key,
                               "bad variable name %s (expected letters, digits and _, not "
                               "row, seq, user_id or worker_id)",
                               scenario_doc_describe(key, got, sizeof got));
            continue;
        }
        if (scenario_doc_duplicate(d, n, i)) continue;
        values[c->n_vars] = scenario_doc_node(d, pair->value);
        c->var_names[c->n_vars++] = xstrdup(name);
    }
    c->n_var_defs = c->n_vars;
    return values;
}

/* Compiles each var's value with the names defined before it. */
static void s_var_defs(scenario_doc_t *d, const yaml_node_t **values, const scenario_t *s,
                       scenario_class_t *c) {
    char got[96];
    c->var_defs = xcalloc(c->n_var_defs ? c->n_var_defs : 1, sizeof c->var_defs[0]);
    for (size_t i = 0; i < c->n_var_defs; i++) {
        const yaml_node_t *v = values[i];
        template_names_t before = {(const char *const *)c->var_names, i, NULL, 0};
        if (s->data) {
            before.columns = (const char *const *)s->data->columns;
            before.n_columns = s->data->n_columns;
        }
        if (v->type != YAML_SCALAR_NODE) {
            scenario_doc_error(d, v, "variable '%s' must be a string (got %s)", c->var_names[i],
                               scenario_doc_describe(v, got, sizeof got));
            continue;
        }
        const char *t = scenario_doc_is_null(v) ? "" : scenario_doc_text(v);
        scenario_doc_template(d, v, 0, t, strlen(t), TEMPLATE_ESCAPE_NONE, &before,
                              &c->var_defs[i]);
    }
}

/* Adds the capture targets of on_start, tasks (and their steps) and on_stop to var_names. */
static void s_capture_names(const scenario_doc_t *d, const yaml_node_t *on_start,
                            const yaml_node_t *tasks, const yaml_node_t *on_stop,
                            scenario_class_t *c) {
    const yaml_node_t *lists[3] = {on_start, tasks, on_stop};
    for (size_t l = 0; l < 3; l++) {
        if (!lists[l] || lists[l]->type != YAML_SEQUENCE_NODE) continue;
        for (size_t i = 0; i < scenario_doc_len(lists[l]); i++) {
            const yaml_node_t *m = scenario_doc_item(d, lists[l], i);
            scenario_request_capture_names(d, m, &c->var_names, &c->n_vars);
            if (m->type != YAML_MAPPING_NODE) continue;
            const yaml_node_pair_t *pairs = m->data.mapping.pairs.start;
            for (; pairs < m->data.mapping.pairs.top; pairs++) {
                const char *key = scenario_doc_text(scenario_doc_node(d, pairs->key));
                const yaml_node_t *steps = scenario_doc_node(d, pairs->value);
                if (!key || strcmp(key, "steps") != 0 || steps->type != YAML_SEQUENCE_NODE)
                    continue;
                for (size_t k = 0; k < scenario_doc_len(steps); k++)
                    scenario_request_capture_names(d, scenario_doc_item(d, steps, k), &c->var_names,
                                                   &c->n_vars);
            }
        }
    }
}

/* Reads one class; returns false if its weight is unusable (then the sum is not checked). */
static bool s_class(scenario_doc_t *d, yaml_node_t *m, const scenario_t *s, scenario_class_t *c,
                    const yaml_node_t **name_node) {
    static const char *const keys[] = {"name",     "weight", "think",   "headers", "vars",
                                       "on_start", "tasks",  "on_stop", NULL};
    enum { NAME, WEIGHT, THINK, HEADERS, VARS, ON_START, TASKS, ON_STOP };
    scenario_field_t f[8];
    c->weight = 1;
    if (!scenario_doc_fields(d, m, "user class", "in user class", keys, f)) return true;
    *name_node = f[NAME].value;
    if (f[NAME].value)
        scenario_doc_string(d, f[NAME].value, "name", &c->name);
    else
        scenario_doc_error(d, m, "user class has no name (expected name: ...)");
    bool weight_ok =
        !f[WEIGHT].value || scenario_doc_uint(d, f[WEIGHT].value, "weight", 0, &c->weight);
    if (f[THINK].value) s_think(d, f[THINK].value, &c->think);
    const yaml_node_t **values = f[VARS].value ? s_var_names(d, f[VARS].value, c) : NULL;
    s_capture_names(d, f[ON_START].value, f[TASKS].value, f[ON_STOP].value, c);
    s_var_defs(d, values, s, c);
    free(values);
    template_names_t names = {(const char *const *)c->var_names, c->n_vars, NULL, 0};
    if (s->data) {
        names.columns = (const char *const *)s->data->columns;
        names.n_columns = s->data->n_columns;
    }
    if (f[HEADERS].value) scenario_doc_headers(d, f[HEADERS].value, &names, &c->headers);
    if (f[ON_START].value)
        s_once(d, f[ON_START].value, "on_start", &names, &c->on_start, &c->n_on_start);
    if (f[ON_STOP].value)
        s_once(d, f[ON_STOP].value, "on_stop", &names, &c->on_stop, &c->n_on_stop);
    if (f[TASKS].value)
        s_tasks(d, f[TASKS].value, &names, c);
    else
        scenario_doc_error(d, m, "user class has no tasks (expected tasks: a list of requests)");
    return weight_ok;
}

/* Reports a class named like an earlier one, at its name. */
static void s_unique_names(scenario_doc_t *d, const yaml_node_t **name_nodes, const scenario_t *s) {
    for (size_t i = 0; i < s->n_classes; i++) {
        for (size_t j = 0; j < i && s->classes[i].name; j++) {
            if (!s->classes[j].name || strcmp(s->classes[i].name, s->classes[j].name) != 0)
                continue;
            scenario_pos_t first = scenario_doc_pos(name_nodes[j]);
            scenario_doc_error(d, name_nodes[i], "duplicate user class name '%s' (first at %d:%d)",
                               s->classes[i].name, first.line, first.col);
            break;
        }
    }
}

void scenario_classes_read(scenario_doc_t *d, yaml_node_t *n, scenario_t *s) {
    char got[96];
    if (n->type != YAML_SEQUENCE_NODE) {
        scenario_doc_error(d, n, "users must be a list of user classes (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return;
    }
    if (scenario_doc_len(n) == 0) {
        scenario_doc_error(d, n, "users must list at least one user class");
        return;
    }
    s->n_classes = scenario_doc_len(n);
    s->classes = xcalloc(s->n_classes, sizeof s->classes[0]);
    const yaml_node_t **name_nodes = xcalloc(s->n_classes, sizeof(const yaml_node_t *));
    bool weights_ok = true;
    uint64_t sum = 0;
    for (size_t i = 0; i < s->n_classes; i++) {
        weights_ok &= s_class(d, scenario_doc_item(d, n, i), s, &s->classes[i], &name_nodes[i]);
        sum += s->classes[i].weight;
    }
    s_unique_names(d, name_nodes, s);
    free(name_nodes);
    if (weights_ok && sum == 0)
        scenario_doc_error(d, n,
                           "user class weights sum to 0 (at least one class needs weight >= 1)");
}

void scenario_classes_free(scenario_t *s) {
    for (size_t i = 0; i < s->n_classes; i++) {
        scenario_class_t *c = &s->classes[i];
        for (size_t j = 0; j < c->n_tasks; j++) {
            scenario_task_t *t = &c->tasks[j];
            for (size_t k = 0; k < t->n_steps; k++)
                scenario_request_fini(&t->steps[k]);
            free(t->steps);
            free(t->name);
        }
        free(c->tasks);
        for (size_t j = 0; j < c->n_on_start; j++)
            scenario_request_fini(&c->on_start[j]);
        free(c->on_start);
        for (size_t j = 0; j < c->n_on_stop; j++)
            scenario_request_fini(&c->on_stop[j]);
        free(c->on_stop);
        for (size_t j = 0; j < c->n_vars; j++)
            free(c->var_names[j]);
        free(c->var_names);
        for (size_t j = 0; j < c->n_var_defs && c->var_defs; j++)
            template_destroy(&c->var_defs[j]);
        free(c->var_defs);
        free(c->name);
        scenario_doc_headers_fini(&c->headers);
    }
    free(s->classes);
    s->classes = NULL;
    s->n_classes = 0;
}
