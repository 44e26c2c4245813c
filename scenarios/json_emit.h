/* json_emit: turns a YAML value of a scenario (json: bodies) into JSON text
 * (internal to scenarios/). */
#ifndef BARRAGE_SCENARIOS_JSON_EMIT_H
#define BARRAGE_SCENARIOS_JSON_EMIT_H

#include <stddef.h>

#include "scenarios/yaml_doc.h"

/* Serializes n as compact JSON. Plain scalars resolve by the YAML 1.2 core schema:
 * null/~/empty -> null, true/false -> bools, integers (also 0x.. and 0o..) and floats
 * -> numbers (normalized to JSON's grammar: "+1" -> 1, ".5" -> 0.5, "007" -> 7);
 * any other plain scalar, and every quoted or block scalar, is a string. Mapping
 * keys are always strings; mappings keep their order. String scalars may hold
 * {{ }} templates (checked against names, errors reported inside the scalar):
 * they are copied into the text as written, for compiling the whole text with
 * TEMPLATE_ESCAPE_JSON.
 * Returns a new NUL-terminated string (the caller frees it) and its length in
 * *out_bytes, or NULL after reporting the problems to d: .inf/.nan, non-string or
 * duplicate keys, nesting deeper than 64 (e.g. a recursive alias) or text over 4 MiB. */
char *scenario_json_emit(scenario_doc_t *d, const yaml_node_t *n, const template_names_t *names,
                         size_t *out_bytes);

#endif
