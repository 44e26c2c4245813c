/* encode: text encodings for scenario strings that hold {{ }} templates
 * (internal to scenarios/). Literal text is encoded for its context; the
 * {{ }} parts are copied as written, since the template engine escapes what
 * they render. */
#ifndef BARRAGE_SCENARIOS_ENCODE_H
#define BARRAGE_SCENARIOS_ENCODE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/strbuf.h"

/* Index just past the "}}" closing the expression opened at s[open] ("{{"),
 * skipping '...' and "..." string literals inside it; len if it is unclosed. */
size_t scenario_template_end(const char *s, size_t len, size_t open);
/* True if s (len bytes) has a "{{". */
bool scenario_has_template(const char *s, size_t len);

/* Appends s form-encoded (application/x-www-form-urlencoded: space as +,
 * unreserved bytes as is, the rest %XX); with keep_templates, {{ }} parts are
 * copied unencoded. */
void scenario_encode_form(strbuf_t *out, const char *s, size_t len, bool keep_templates);
/* Appends s as JSON string content (without the quotes), {{ }} parts copied
 * unencoded. */
void scenario_encode_json(strbuf_t *out, const char *s, size_t len);

#endif
