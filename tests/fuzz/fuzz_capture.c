/* fuzz_capture: a response body through the worker's checks (worker/check.h)
 * — regex:, json: and header: captures, expect.json and body_contains — and
 * the captured values rendered into the next requests' URL, query, headers
 * and JSON body. Input: the capture's PCRE2 regular expression up to the first
 * newline (written into the scenario as a YAML double-quoted string, so a NUL
 * byte stays in the pattern; when it does not compile a fixed one is used), then
 * the response body, NUL bytes and all.
 * Oracle: a failed check names a category and a detail; a regex capture that
 * fails says "not found" or which PCRE2 limit stopped it; a value the regex
 * captured is bytes of the body. */
#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/rng.h"
#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "scenarios/scenario.h"
#include "tests/fuzz/fuzz.h"
#include "worker/check.h"
#include "worker/plan.h"
#include "worker/render.h"
#include "worker/vuser.h"
#include "worker/wstats.h"

static const char s_head[] =
    "name: capture\n"
    "host: http://127.0.0.1:1\n"
    "users:\n"
    "  - name: U\n"
    "    headers: {Authorization: \"Bearer {{ t }}\"}\n"
    "    tasks:\n"
    "      - name: flow\n"
    "        steps:\n"
    "          - get: /json\n"
    "            capture: {t: \"json:$.access_token\", n: \"json:$.items[-1]\",\n"
    "                      k: \"json:$['a b'][0].c\"}\n"
    "          - get: \"/items/{{ n }}?k={{ k }}\"\n"
    "            query: {q: \"{{ t }}\"}\n"
    "            expect: {json: {\"$.ok\": true}, body_contains: \"ok\"}\n"
    "          - post: /regex\n"
    "            json: {v: \"{{ r }}\", n: \"{{ n }}\"}\n"
    "            capture: {r: \"regex:";
static const char s_tail[] = "\"}\n"
                             "          - get: /header\n"
                             "            capture: {h: \"header:X-Token\"}\n";

/* The scenario with pattern written as YAML double-quoted string content. */
static char *s_yaml(const char *pattern, size_t len) {
    strbuf_t b;
    strbuf_init(&b);
    strbuf_append_str(&b, s_head);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)pattern[i];
        if (c == '"' || c == '\\') {
            strbuf_append_char(&b, '\\');
            strbuf_append_char(&b, (char)c);
        } else if (c < 0x20 || c >= 0x7f) {
            strbuf_appendf(&b, "\\x%02x", c);
        } else {
            strbuf_append_char(&b, (char)c);
        }
    }
    strbuf_append_str(&b, s_tail);
    char *yaml = xstrdup(strbuf_str(&b));
    strbuf_fini(&b);
    return yaml;
}

static scenario_t *s_load(const char *pattern, size_t len) {
    char *yaml = s_yaml(pattern, len);
    scenario_errors_t errs = {0};
    scenario_t *sc = scenario_load("capture.yaml", yaml, strlen(yaml), &errs);
    scenario_errors_fini(&errs);
    free(yaml);
    return sc;
}

/* The step with the regex capture ("post: /regex", the third) holds to the oracle. */
static void s_check_regex_step(const vuser_t *u, const plan_step_t *st, bool failed,
                               const wstats_reason_t *why, const char *body, size_t body_len) {
    if (!st->keep_body || body_len > CHECK_MAX_BODY_BYTES) return;
    const scenario_capture_t *c = &st->req->captures[0];
    if (c->kind != SCENARIO_CAPTURE_REGEX) abort();
    if (failed) {
        if (strcmp(why->category, "capture") != 0) return; /* expects run first */
        if (why->detail != st->why_capture[0] && strncmp(why->detail, "regex: ", 7) != 0) abort();
        return;
    }
    const strbuf_t *v = &u->values[c->slot];
    if (v->len && !memmem(body, body_len, strbuf_str(v), v->len)) abort();
}

/* Feeds body to every step of the flow as its response, like the engine does. */
static void s_run_flow(const plan_t *plan, const char *body, size_t body_len) {
    vuser_t u = {0};
    u.cls = &plan->classes[0];
    u.host = plan->host;
    u.user_id = 1;
    static CURL *easy; /* reused like the engine reuses a user's handle */
    if (!easy && !(easy = curl_easy_init())) abort();
    curl_easy_reset(easy);
    u.easy = easy;
    render_user_init(&u);
    rng_t rng;
    rng_seed(&rng, 7);
    render_vars(&u, &rng);
    u.task = &u.cls->tasks[0];
    for (u.step = 0; u.step < u.task->n_steps; u.step++) {
        const plan_step_t *st = &u.task->steps[u.step];
        render_step(&u, st, &rng);
        u.keep_body = st->keep_body;
        strbuf_reset(&u.response);
        if (u.keep_body && body_len <= CHECK_MAX_BODY_BYTES)
            strbuf_append(&u.response, body, body_len);
        u.body_bytes = body_len;
        wstats_reason_t why = {0};
        bool failed = check_response(&u, st, CURLE_OK, 1000, &why);
        if (failed && (!why.category || !why.detail)) abort();
        if (u.step == 2) s_check_regex_step(&u, st, failed, &why, body, body_len);
    }
    render_user_fini(&u);
}

/* The scenario and plan for pattern: the last ones when the pattern is unchanged
 * (mutations mostly touch the body; loading YAML dominated the run time). */
static const plan_t *s_plan_for(const char *pattern, size_t len) {
    static char *last;
    static size_t last_len;
    static scenario_t *sc;
    static plan_t *plan;
    /* One stats object for every plan: slots hold ~200 KB histograms. */
    static wstats_t *ws;
    if (plan && last_len == len && memcmp(last, pattern, len) == 0) return plan;
    plan_destroy(&plan);
    scenario_destroy(&sc);
    free(last);
    last = xmalloc(len ? len : 1);
    if (len) memcpy(last, pattern, len);
    last_len = len;
    sc = s_load(pattern, len);
    if (!sc) sc = s_load("token=([a-z0-9]+)", 17);
    if (!sc) abort();
    if (!ws) ws = wstats_new();
    char *err = NULL;
    plan = plan_new(sc, NULL, false, ws, &err);
    if (!plan) abort();
    free(err);
    return plan;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *nl = memchr(data, '\n', size);
    size_t pattern_len = nl ? (size_t)(nl - (const char *)data) : size;
    const plan_t *plan = s_plan_for((const char *)data, pattern_len);
    size_t body_len = nl ? size - pattern_len - 1 : 0;
    char *body = xmalloc(body_len ? body_len : 1);
    if (body_len) memcpy(body, nl + 1, body_len);
    s_run_flow(plan, body, body_len);
    free(body);
    return 0;
}
