/* fuzz_template: template_compile and template_render. Input: one byte of
 * options (escape mode; whether a data file exists), then the template text.
 * Oracles: compile errors point into the text; every variable slot read is a
 * declared one and row.X only with a data file; a constant template renders
 * as exactly its text (and that text is the input); two renders with the same
 * random seed give the same bytes; a render appends to what out held. */
#include <stdlib.h>
#include <string.h>

#include "common/rng.h"
#include "common/strbuf.h"
#include "scenarios/template.h"
#include "common/xmalloc.h"
#include "tests/fuzz/fuzz.h"

static const char *const s_vars[] = {"token", "id", "org_id", "user"};
static const char *const s_columns[] = {"email", "password", "first-name"};
#define S_N_VARS (sizeof s_vars / sizeof s_vars[0])
#define S_N_COLUMNS (sizeof s_columns / sizeof s_columns[0])

static void s_check_slot(size_t slot, void *arg) {
    (void)arg;
    if (slot >= S_N_VARS) abort();
}

/* Renders t twice with the same seed into buffers holding a prefix; checks
 * both give the same bytes and returns the first rendering without the prefix
 * in *first (caller frees with strbuf_fini). */
static void s_render_twice(const template_t *t, const template_ctx_t *base, strbuf_t *first) {
    strbuf_t out[2];
    for (int i = 0; i < 2; i++) {
        rng_t rng;
        rng_seed(&rng, 42);
        uint64_t seq = 0;
        template_ctx_t ctx = *base;
        ctx.rng = &rng;
        ctx.seq = &seq;
        strbuf_init(&out[i]);
        strbuf_append_str(&out[i], "<");
        template_render(t, &ctx, &out[i]);
        if (out[i].data[0] != '<' || out[i].data[out[i].len] != '\0') abort();
    }
    if (out[0].len != out[1].len || memcmp(out[0].data, out[1].data, out[0].len) != 0) abort();
    strbuf_init(first);
    strbuf_append(first, out[0].data + 1, out[0].len - 1);
    strbuf_fini(&out[0]);
    strbuf_fini(&out[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    template_escape_t escape = (template_escape_t)(data[0] % 3);
    bool with_data = data[0] & 0x80;
    size_t len = size - 1;
    char *text = xmalloc(len ? len : 1); /* exact size, not NUL-terminated */
    if (len) memcpy(text, data + 1, len);
    template_names_t names = {.vars = s_vars,
                              .n_vars = S_N_VARS,
                              .columns = with_data ? s_columns : NULL,
                              .n_columns = with_data ? S_N_COLUMNS : 0};
    template_error_t err;
    template_t *t = template_compile(text, len, escape, &names, &err);
    if (!t) {
        if (err.offset > len || !memchr(err.message, '\0', sizeof err.message)) abort();
        free(text);
        return 0;
    }
    template_each_var(t, s_check_slot, NULL);
    if (template_uses_row(t) && !with_data) abort();
    if (template_is_constant(t)) {
        const char *c = template_constant(t);
        if (!c || strlen(c) > len || memcmp(c, text, strlen(c)) != 0) abort();
        if (memmem(text, len, "{{", 2)) abort();
    } else if (template_constant(t) != NULL) {
        abort();
    }
    static const char *const values[] = {"tok\"en\\\n\x01", "42", NULL, "a b&c=d%"};
    static const char *const row[] = {"x@example.com", "p\x7fw\xc3\xa9", ""};
    template_ctx_t ctx = {.values = values,
                          .row = with_data ? row : NULL,
                          .user_id = UINT64_MAX,
                          .worker_id = 7};
    strbuf_t r;
    s_render_twice(t, &ctx, &r);
    if (template_is_constant(t) && (r.len != len || (len && memcmp(r.data, text, len) != 0)))
        abort();
    strbuf_fini(&r);
    template_destroy(&t);
    free(text);
    return 0;
}
