/* encode: the one percent-encoding of barrage (query strings and form
 * bodies, used by the loader, the template engine and the worker), and the
 * encodings of scenario strings that hold {{ }} templates: literal text is
 * encoded for its context; the {{ }} parts are copied as written, since the
 * template engine escapes what they render.
 *
 * The rule, byte for byte what libcurl's curl_easy_escape produces: the
 * RFC 3986 unreserved bytes ALPHA DIGIT - . _ ~ are kept, every other byte
 * (space included, as %20, and every byte >= 0x80) becomes %XX with upper
 * case hex. Forms use the same rule: %20 for a space is valid in both a query
 * string and an application/x-www-form-urlencoded body, so one encoding
 * serves both, and '+' never needs to be told apart from a literal plus. */
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

/* Appends s (len bytes, any bytes) percent-encoded by the rule above. */
void scenario_encode_percent(strbuf_t *out, const char *s, size_t len);
/* Appends s percent-encoded for a query or form value; with keep_templates,
 * {{ }} parts are copied unencoded. */
void scenario_encode_form(strbuf_t *out, const char *s, size_t len, bool keep_templates);
/* Appends s (a URL or a path) with the bytes a URL cannot hold percent-encoded,
 * as Python's requests quotes a URL before sending it (requote_uri): ALPHA
 * DIGIT - . _ ~ and ! # $ & ' ( ) * + , / : ; = ? @ [ ] are kept, and % when
 * two hex digits follow it (an escape already made); every other byte (a
 * space as %20, controls, " < > \ ^ ` { | }, every byte >= 0x7F, a % that
 * starts no escape) becomes %XX.
 * With keep_templates, {{ }} parts are copied unencoded. */
void scenario_encode_url(strbuf_t *out, const char *s, size_t len, bool keep_templates);
/* Appends s as JSON string content (without the quotes), {{ }} parts copied
 * unencoded. */
void scenario_encode_json(strbuf_t *out, const char *s, size_t len);

#endif
