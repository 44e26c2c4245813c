/* test_template: {{ }} compilation, every builtin, escaping, exact error offsets, and
 * allocation-free rendering (scenarios/template.h). */
#include <criterion/criterion.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scenarios/template.h"

static const char *const s_vars[] = {"token", "name", "empty"};
static const char *const s_cols[] = {"email", "password"};
static const template_names_t s_names = {s_vars, 3, s_cols, 2};
static const template_names_t s_no_data = {s_vars, 3, NULL, 0};

/* One virtual user: token = "abc", name = "Ada", empty = NULL; row = (a@b.c, pw). */
typedef struct {
    const char *values[3];
    const char *row[2];
    uint64_t seq;
    rng_t rng;
    template_ctx_t ctx;
} s_user_t;

static void s_user_init(s_user_t *u) {
    *u = (s_user_t){.values = {"abc", "Ada", NULL}, .row = {"a@b.c", "pw"}};
    rng_seed(&u->rng, 1234);
    u->ctx = (template_ctx_t){.values = u->values,
                              .row = u->row,
                              .user_id = 42,
                              .worker_id = 3,
                              .seq = &u->seq,
                              .rng = &u->rng};
}

static template_t *s_compile(const char *text, template_escape_t escape,
                             const template_names_t *names) {
    template_error_t err = {0};
    template_t *t = template_compile(text, strlen(text), escape, names, &err);
    cr_assert_not_null(t, "'%s' failed at %zu: %s", text, err.offset, err.message);
    return t;
}

/* Renders with the given user; the caller frees the result. */
static char *s_render_as(const template_t *t, s_user_t *u) {
    strbuf_t out;
    strbuf_init(&out);
    template_render(t, &u->ctx, &out);
    char *s = strdup(strbuf_str(&out));
    strbuf_fini(&out);
    return s;
}

/* Compiles and renders text once for a fresh user and checks the result. */
static void s_expect_render(const char *text, template_escape_t escape, const char *want) {
    s_user_t u;
    s_user_init(&u);
    template_t *t = s_compile(text, escape, &s_names);
    char *got = s_render_as(t, &u);
    cr_expect_str_eq(got, want, "rendering '%s'", text);
    free(got);
    template_destroy(&t);
}

static void s_expect_error(const char *text, const template_names_t *names, size_t offset,
                           const char *message) {
    template_error_t err = {0};
    template_t *t = template_compile(text, strlen(text), TEMPLATE_ESCAPE_NONE, names, &err);
    cr_expect_null(t, "'%s' compiled", text);
    template_destroy(&t);
    cr_expect_str_eq(err.message, message, "message for '%s'", text);
    cr_expect_eq(err.offset, offset, "offset for '%s': %zu, want %zu", text, err.offset, offset);
}

Test(template, literal_only_is_constant) {
    const char *texts[] = {"", "/api/items?page=1", "no }} expression { here }", "{ {x} }"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        template_t *t = s_compile(texts[i], TEMPLATE_ESCAPE_JSON, &s_names);
        cr_expect(template_is_constant(t));
        cr_expect_str_eq(template_constant(t), texts[i]);
        cr_expect_not(template_uses_row(t));
        s_expect_render(texts[i], TEMPLATE_ESCAPE_JSON, texts[i]);
        template_destroy(&t);
        cr_expect_null(t);
    }
}

Test(template, literal_text_is_never_escaped) {
    s_expect_render("{\"q\": \"a b&\\n\", \"t\": \"{{ token }}\"}", TEMPLATE_ESCAPE_JSON,
                    "{\"q\": \"a b&\\n\", \"t\": \"abc\"}");
    s_expect_render("a b&c={{name}}", TEMPLATE_ESCAPE_FORM, "a b&c=Ada");
}

Test(template, expressions_make_it_not_constant) {
    template_t *t = s_compile("x{{ user_id }}", TEMPLATE_ESCAPE_NONE, &s_names);
    cr_expect_not(template_is_constant(t));
    cr_expect_null(template_constant(t));
    template_destroy(&t);
    template_destroy(&t); /* already NULL: a no-op */
    template_destroy(NULL);
}

Test(template, builtins_with_and_without_parentheses) {
    s_expect_render("{{ user_id }}", TEMPLATE_ESCAPE_NONE, "42");
    s_expect_render("{{user_id()}}", TEMPLATE_ESCAPE_NONE, "42");
    s_expect_render("{{ worker_id }}", TEMPLATE_ESCAPE_NONE, "3");
    s_expect_render("w{{ worker_id ( ) }}w", TEMPLATE_ESCAPE_NONE, "w3w");
    s_expect_render("{{ seq }}", TEMPLATE_ESCAPE_NONE, "1");
    s_expect_render("{{\n\tseq()\r\n}}", TEMPLATE_ESCAPE_NONE, "1");
}

Test(template, large_user_and_worker_ids) {
    s_user_t u;
    s_user_init(&u);
    u.ctx.user_id = UINT64_MAX;
    u.ctx.worker_id = 0;
    template_t *t = s_compile("{{ user_id }}/{{ worker_id }}", TEMPLATE_ESCAPE_FORM, &s_names);
    char *got = s_render_as(t, &u);
    cr_expect_str_eq(got, "18446744073709551615/0");
    free(got);
    template_destroy(&t);
}

Test(template, variables_with_values_and_null) {
    s_expect_render("/u/{{ token }}/{{name}}/[{{ empty }}]", TEMPLATE_ESCAPE_NONE, "/u/abc/Ada/[]");
}

Test(template, variable_lengths_come_from_value_lens) {
    s_user_t u;
    s_user_init(&u);
    const size_t lens[] = {2, 0, 0};
    u.ctx.value_lens = lens;
    template_t *t = s_compile("{{ token }}|{{ name }}", TEMPLATE_ESCAPE_NONE, &s_names);
    char *got = s_render_as(t, &u);
    cr_expect_str_eq(got, "ab|");
    free(got);
    template_destroy(&t);
}

Test(template, a_declared_variable_wins_over_a_builtin_name) {
    const char *const vars[] = {"seq"};
    template_names_t names = {vars, 1, NULL, 0};
    s_user_t u;
    s_user_init(&u);
    u.values[0] = "mine";
    template_t *t = s_compile("{{ seq }}", TEMPLATE_ESCAPE_NONE, &names);
    char *got = s_render_as(t, &u);
    cr_expect_str_eq(got, "mine");
    cr_expect_eq(u.seq, 0);
    free(got);
    template_destroy(&t);
}

static void s_collect(size_t slot, void *arg) {
    strbuf_appendf(arg, "%zu,", slot);
}

Test(template, each_var_lists_every_variable_read) {
    template_t *t = s_compile("{{ name }}{{ user_id }}{{token}}-{{ name }}{{ row.email }}",
                              TEMPLATE_ESCAPE_NONE, &s_names);
    strbuf_t slots;
    strbuf_init(&slots);
    template_each_var(t, s_collect, &slots);
    cr_expect_str_eq(strbuf_str(&slots), "1,0,1,");
    strbuf_fini(&slots);
    template_destroy(&t);

    t = s_compile("{{ seq }} plain", TEMPLATE_ESCAPE_NONE, &s_names);
    strbuf_init(&slots);
    template_each_var(t, s_collect, &slots);
    cr_expect_str_eq(strbuf_str(&slots), "");
    strbuf_fini(&slots);
    template_destroy(&t);
}

Test(template, row_fields) {
    template_t *t = s_compile("{{ row.email }}:{{row.password}}", TEMPLATE_ESCAPE_NONE, &s_names);
    cr_expect(template_uses_row(t));
    s_user_t u;
    s_user_init(&u);
    char *got = s_render_as(t, &u);
    cr_expect_str_eq(got, "a@b.c:pw");
    free(got);
    const size_t lens[] = {1, 1};
    u.ctx.row_lens = lens;
    got = s_render_as(t, &u);
    cr_expect_str_eq(got, "a:p");
    free(got);
    template_destroy(&t);

    t = s_compile("{{ token }}", TEMPLATE_ESCAPE_NONE, &s_names);
    cr_expect_not(template_uses_row(t));
    template_destroy(&t);
}

Test(template, json_escape_of_substitutions) {
    s_user_t u;
    s_user_init(&u);
    u.values[0] = "say \"hi\" \\ now\nthen\r\t\b\f\x01\x1f caf\xc3\xa9";
    template_t *t = s_compile("{\"v\": \"{{ token }}\"}", TEMPLATE_ESCAPE_JSON, &s_names);
    char *got = s_render_as(t, &u);
    cr_expect_str_eq(got, "{\"v\": \"say \\\"hi\\\" \\\\ now\\nthen\\r\\t\\b\\f\\u0001\\u001f "
                          "caf\xc3\xa9\"}");
    free(got);
    template_destroy(&t);
}

Test(template, form_escape_of_substitutions) {
    s_user_t u;
    s_user_init(&u);
    u.values[0] = "a b&c=d/e?f+g%-._~AZaz09 \xc3\xa9";
    template_t *t = s_compile("q={{ token }}&x=1", TEMPLATE_ESCAPE_FORM, &s_names);
    char *got = s_render_as(t, &u);
    cr_expect_str_eq(got, "q=a%20b%26c%3Dd%2Fe%3Ff%2Bg%25-._~AZaz09%20%C3%A9&x=1");
    free(got);
    template_destroy(&t);
}

Test(template, no_escape_passes_bytes_through) {
    s_user_t u;
    s_user_init(&u);
    u.values[0] = "a \"b\"&c\n";
    template_t *t = s_compile("{{ token }}", TEMPLATE_ESCAPE_NONE, &s_names);
    char *got = s_render_as(t, &u);
    cr_expect_str_eq(got, "a \"b\"&c\n");
    free(got);
    template_destroy(&t);
}

Test(template, choice_and_env_values_are_escaped_too) {
    s_expect_render("{{ choice('a b&') }}", TEMPLATE_ESCAPE_FORM, "a%20b%26");
    s_expect_render("{{ choice(\"say \\\"x\\\"\") }}", TEMPLATE_ESCAPE_JSON, "say \\\"x\\\"");
    setenv("BARRAGE_TPL_ESC", "x y", 1);
    s_expect_render("{{ env('BARRAGE_TPL_ESC') }}", TEMPLATE_ESCAPE_FORM, "x%20y");
}

Test(template, every_error_with_its_offset) {
    s_expect_error("/x/{{ randomint(1,2) }}", &s_names, 6,
                   "unknown function 'randomint' (expected randint, choice, random, uuid, seq, "
                   "user_id, worker_id or env)");
    s_expect_error("/x/{{ tokn }}", &s_names, 6, "unknown variable 'tokn' (did you mean 'token'?)");
    s_expect_error("{{ usr_id }}", &s_names, 3,
                   "unknown variable 'usr_id' (did you mean 'user_id'?)");
    s_expect_error("{{ uid() }}", &s_names, 3,
                   "unknown function 'uid' (expected randint, choice, random, uuid, seq, "
                   "user_id, worker_id or env)");
    s_expect_error("a {{ zzzzzzzz }}", &s_names, 5, "unknown variable 'zzzzzzzz'");
    s_expect_error("a {{ token }}", NULL, 5, "unknown variable 'token'");
    s_expect_error("{{ row.email }}", &s_no_data, 3,
                   "row.email needs a data file (data: {file: ...})");
    s_expect_error("{{ row.emial }}", &s_names, 7,
                   "unknown column 'emial' (did you mean 'email'?)");
    s_expect_error("{{ row.xyzzyq }}", &s_names, 7,
                   "unknown column 'xyzzyq' (the data file's columns: email, password)");
    s_expect_error("{{ row. }}", &s_names, 7, "expected a column name after 'row.'");
    s_expect_error("{{ randint(1) }}", &s_names, 3, "randint needs two integers (got 1)");
    s_expect_error("{{ randint(1, 2, 3) }}", &s_names, 3, "randint needs two integers (got 3)");
    s_expect_error("{{ randint(5, 1) }}", &s_names, 11, "randint needs a <= b (got 5 > 1)");
    s_expect_error("{{ randint(1, 'x') }}", &s_names, 14,
                   "randint needs two integers (got a string)");
    s_expect_error("{{ randint(-, 1) }}", &s_names, 12, "expected digits after '-'");
    s_expect_error("{{ randint(1, 99999999999999999999) }}", &s_names, 14, "integer out of range");
    s_expect_error("{{ choice() }}", &s_names, 3, "choice needs at least one argument");
    s_expect_error("{{ choice(a) }}", &s_names, 10,
                   "expected an integer or a quoted string (got 'a')");
    s_expect_error("{{ choice(1 2) }}", &s_names, 12,
                   "expected ',' or ')' in the arguments of choice (got '2')");
    s_expect_error("{{ choice('abc) }}", &s_names, 10, "unterminated string");
    s_expect_error("{{ env('BARRAGE_TPL_SURELY_UNSET') }}", &s_names, 7,
                   "env: BARRAGE_TPL_SURELY_UNSET is not set");
    s_expect_error("{{ env() }}", &s_names, 3,
                   "env needs one quoted variable name (got 0 arguments)");
    s_expect_error("{{ env(5) }}", &s_names, 7,
                   "env needs a quoted variable name (got an integer)");
    s_expect_error("{{ uuid(1) }}", &s_names, 8, "uuid takes no arguments (got 1)");
    s_expect_error("{{ seq('x', 2) }}", &s_names, 7, "seq takes no arguments (got 2)");
    s_expect_error("{{ uuid }}", &s_names, 3, "uuid is a function: write uuid(...)");
    s_expect_error("ab{{ token", &s_names, 2, "unterminated '{{' (no matching '}}')");
    s_expect_error("{{ token }} and {{", &s_names, 16, "unterminated '{{' (no matching '}}')");
    s_expect_error("ab{{ }}", &s_names, 2, "empty expression in '{{ }}'");
    s_expect_error("{{}}", &s_names, 0, "empty expression in '{{ }}'");
    s_expect_error("{{ token extra }}", &s_names, 9,
                   "expected '}}' after the expression (got 'e')");
    s_expect_error("{{ token } }}", &s_names, 9, "expected '}}' after the expression (got '}')");
    s_expect_error("{{ 5 }}", &s_names, 3, "expected a variable or function name (got '5')");
}

Test(template, the_text_ends_at_len_not_at_nul) {
    const char *text = "{{ token }}TAIL";
    template_error_t err = {0};
    template_t *t = template_compile(text, 11, TEMPLATE_ESCAPE_NONE, &s_names, &err);
    cr_assert_not_null(t, "%s", err.message);
    s_user_t u;
    s_user_init(&u);
    char *got = s_render_as(t, &u);
    cr_expect_str_eq(got, "abc");
    free(got);
    template_destroy(&t);

    t = template_compile(text, 9, TEMPLATE_ESCAPE_NONE, &s_names, &err);
    cr_expect_null(t);
    cr_expect_eq(err.offset, 0);
    cr_expect_str_eq(err.message, "unterminated '{{' (no matching '}}')");

    t = template_compile("abc{{ x }}", 3, TEMPLATE_ESCAPE_NONE, &s_names, &err);
    cr_assert_not_null(t);
    cr_expect_str_eq(template_constant(t), "abc");
    template_destroy(&t);
}

Test(template, randint_covers_the_inclusive_range) {
    s_user_t u;
    s_user_init(&u);
    template_t *t = s_compile("{{ randint(-2, 3) }}", TEMPLATE_ESCAPE_NONE, &s_names);
    int seen[6] = {0};
    strbuf_t out;
    strbuf_init(&out);
    for (int i = 0; i < 10000; i++) {
        strbuf_reset(&out);
        template_render(t, &u.ctx, &out);
        char *end;
        long v = strtol(strbuf_str(&out), &end, 10);
        cr_assert_eq(*end, '\0', "'%s' is not an integer", strbuf_str(&out));
        cr_assert(v >= -2 && v <= 3, "%ld out of [-2, 3]", v);
        seen[v + 2]++;
    }
    for (int i = 0; i < 6; i++) {
        /* Expected 1667 each; 1400 is over 7 standard deviations below. */
        cr_expect_gt(seen[i], 1400, "%d drawn only %d times", i - 2, seen[i]);
    }
    strbuf_fini(&out);
    template_destroy(&t);
}

Test(template, randint_extremes) {
    s_expect_render("{{ randint(7, 7) }}", TEMPLATE_ESCAPE_NONE, "7");
    s_expect_render("{{ randint(-9223372036854775808, -9223372036854775808) }}",
                    TEMPLATE_ESCAPE_NONE, "-9223372036854775808");
    template_t *t = s_compile("{{ randint(-9223372036854775808, 9223372036854775807) }}",
                              TEMPLATE_ESCAPE_NONE, &s_names);
    s_user_t u;
    s_user_init(&u);
    char *got = s_render_as(t, &u);
    cr_expect_gt(strlen(got), 0);
    free(got);
    template_destroy(&t);
}

Test(template, choice_picks_every_option_as_written) {
    s_user_t u;
    s_user_init(&u);
    template_t *t = s_compile("{{ choice('a', \"b c\", 42, -7, 'it\\'s', '\\\\') }}",
                              TEMPLATE_ESCAPE_NONE, &s_names);
    const char *options[] = {"a", "b c", "42", "-7", "it's", "\\"};
    int seen[6] = {0};
    strbuf_t out;
    strbuf_init(&out);
    for (int i = 0; i < 6000; i++) {
        strbuf_reset(&out);
        template_render(t, &u.ctx, &out);
        size_t j = 0;
        while (j < 6 && strcmp(options[j], strbuf_str(&out)) != 0)
            j++;
        cr_assert_lt(j, 6, "unexpected choice '%s'", strbuf_str(&out));
        seen[j]++;
    }
    for (int j = 0; j < 6; j++)
        cr_expect_gt(seen[j], 800, "'%s' picked %d times", options[j], seen[j]);
    strbuf_fini(&out);
    template_destroy(&t);
}

static int s_cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

Test(template, uuid_is_version_4_and_unique) {
    enum { N = 10000 };
    regex_t re;
    cr_assert_eq(regcomp(&re,
                         "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
                         REG_EXTENDED | REG_NOSUB),
                 0);
    s_user_t u;
    s_user_init(&u);
    template_t *t = s_compile("{{ uuid() }}", TEMPLATE_ESCAPE_JSON, &s_names);
    char **all = calloc(N, sizeof *all);
    for (int i = 0; i < N; i++) {
        all[i] = s_render_as(t, &u);
        cr_assert_eq(regexec(&re, all[i], 0, NULL, 0), 0, "bad uuid '%s'", all[i]);
    }
    qsort(all, N, sizeof *all, s_cmp_str);
    for (int i = 1; i < N; i++)
        cr_assert_str_neq(all[i - 1], all[i], "duplicate uuid");
    for (int i = 0; i < N; i++)
        free(all[i]);
    free(all);
    regfree(&re);
    template_destroy(&t);
}

Test(template, seq_steps_once_per_use) {
    s_user_t u;
    s_user_init(&u);
    template_t *t = s_compile("{{ seq }}-{{ seq() }}", TEMPLATE_ESCAPE_NONE, &s_names);
    char *a = s_render_as(t, &u), *b = s_render_as(t, &u);
    cr_expect_str_eq(a, "1-2");
    cr_expect_str_eq(b, "3-4");
    cr_expect_eq(u.seq, 4);
    free(a);
    free(b);
    template_destroy(&t);
}

Test(template, env_is_read_once_at_compile_time) {
    setenv("BARRAGE_TPL_TEST", "v\"al", 1);
    template_t *t = s_compile("[{{ env('BARRAGE_TPL_TEST') }}|{{ env(\"BARRAGE_TPL_TEST\") }}]",
                              TEMPLATE_ESCAPE_JSON, &s_names);
    unsetenv("BARRAGE_TPL_TEST");
    s_user_t u;
    s_user_init(&u);
    char *got = s_render_as(t, &u);
    cr_expect_str_eq(got, "[v\\\"al|v\\\"al]");
    free(got);
    template_destroy(&t);
}

/* A template using every kind of expression. */
static template_t *s_everything(void) {
    setenv("BARRAGE_TPL_ALL", "e n v", 1);
    return s_compile("/a/{{ user_id }}/{{ worker_id }}/{{ seq }}/{{ randint(-100, 100000) }}/"
                     "{{ choice('x', 'y y') }}/{{ uuid() }}/{{ token }}/{{ empty }}/"
                     "{{ row.email }}/{{ env('BARRAGE_TPL_ALL') }}",
                     TEMPLATE_ESCAPE_FORM, &s_names);
}

Test(template, rendering_does_not_allocate_once_the_buffer_has_grown) {
    template_t *t = s_everything();
    s_user_t u;
    s_user_init(&u);
    strbuf_t out;
    strbuf_init(&out);
    template_render(t, &u.ctx, &out); /* grows the buffer */
    strbuf_reset(&out);
    const char *data = out.data;
    size_t cap = out.cap;
    for (int i = 0; i < 10000; i++) {
        strbuf_reset(&out);
        template_render(t, &u.ctx, &out);
        cr_assert_eq(out.cap, cap, "the buffer grew on render %d", i);
        cr_assert_eq(out.data, data, "the buffer moved on render %d", i);
    }
    cr_expect_not_null(strstr(strbuf_str(&out), "/42/3/10001/"), "%s", strbuf_str(&out));
    cr_expect_not_null(strstr(strbuf_str(&out), "/abc//a%40b.c/e%20n%20v"), "%s", strbuf_str(&out));
    strbuf_fini(&out);
    template_destroy(&t);
}

Test(template, a_million_renders) {
    template_t *t = s_compile("/users/{{ user_id }}/items/{{ randint(1, 1000) }}?token={{ token }}",
                              TEMPLATE_ESCAPE_FORM, &s_names);
    s_user_t u;
    s_user_init(&u);
    strbuf_t out;
    strbuf_init(&out);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t total_bytes = 0;
    for (int i = 0; i < 1000000; i++) {
        strbuf_reset(&out);
        template_render(t, &u.ctx, &out);
        total_bytes += out.len;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double elapsed_ms =
        (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    /* Milliseconds per million renders are nanoseconds per render. */
    fprintf(stderr,
            "template: 1,000,000 renders of a 3-expression template: %.1f ms (%.0f ns each)\n",
            elapsed_ms, elapsed_ms);
    cr_expect_gt(total_bytes, 1000000 * strlen("/users/42/items/1?token=abc") - 1);
    strbuf_fini(&out);
    template_destroy(&t);
}

Test(template, empty_string_arguments) {
    /* Found by fuzz_template: only '' arguments left the scratch buffer without storage. */
    s_expect_render("[{{ choice('') }}]", TEMPLATE_ESCAPE_NONE, "[]");
    s_expect_render("[{{ choice('', \"\") }}]", TEMPLATE_ESCAPE_JSON, "[]");
    s_expect_error("{{ env('') }}", &s_names, 7, "env needs a variable name (got '')");
}

Test(template, random_writes_floats_as_python_repr_does) {
    /* rng_seed(1234)'s first draws, as Python's repr(float.fromhex(...)) prints them. */
    s_user_t u;
    s_user_init(&u);
    template_t *t = s_compile("{{ random() }} {{random()}} {{ random() }}", TEMPLATE_ESCAPE_NONE,
                              &s_names);
    cr_expect(!template_is_constant(t));
    char *got = s_render_as(t, &u);
    cr_expect_str_eq(got, "0.045582166320754625 0.8428688286913699 0.6909004824270624");
    free(got);
    template_destroy(&t);
    s_expect_error("{{ random(1) }}", &s_names, 10, "random takes no arguments (got 1)");
    s_expect_error("{{ random }}", &s_names, 3, "random is a function: write random(...)");
}

Test(template, random_is_uniform_shortest_and_round_trips) {
    s_user_t u;
    s_user_init(&u);
    template_t *t = s_compile("{{ random() }}", TEMPLATE_ESCAPE_NONE, &s_names);
    regex_t fixed, expo;
    cr_assert_eq(regcomp(&fixed, "^0\\.[0-9]*[1-9]$", REG_EXTENDED | REG_NOSUB), 0);
    cr_assert_eq(regcomp(&expo, "^[1-9](\\.[0-9]*[1-9])?e-0[5-9]$|^[1-9](\\.[0-9]*[1-9])?e-[1-9][0-9]$",
                         REG_EXTENDED | REG_NOSUB), 0);
    size_t n = 200000, exponents = 0, below_half = 0;
    strbuf_t out;
    strbuf_init(&out);
    for (size_t i = 0; i < n; i++) {
        rng_t copy = u.rng;
        double want = rng_unit(&copy);
        strbuf_reset(&out);
        template_render(t, &u.ctx, &out);
        const char *s = strbuf_str(&out);
        bool is_expo = regexec(&expo, s, 0, NULL, 0) == 0;
        cr_assert(is_expo || regexec(&fixed, s, 0, NULL, 0) == 0, "bad float text '%s'", s);
        cr_assert(is_expo == (want < 1e-4), "'%s': exponent form only below 1e-4", s);
        exponents += is_expo;
        cr_assert_eq(strtod(s, NULL), want, "'%s' does not read back as %a", s, want);
        /* shortest: one significant digit fewer does not read back */
        size_t digits = is_expo ? (size_t)(strchr(s, 'e') - s) - (strchr(s, '.') ? 1 : 0)
                                : strlen(s) - 2 - strspn(s + 2, "0");
        if (digits > 1) {
            char fewer[400];
            snprintf(fewer, sizeof fewer, "%.*g", (int)digits - 1, want);
            cr_assert_neq(strtod(fewer, NULL), want, "'%s' is not the shortest ('%s')", s, fewer);
        }
        below_half += want < 0.5;
    }
    cr_expect_gt(exponents, 0, "no draw below 1e-4 in %zu", n);
    cr_expect(below_half > n / 2 - n / 100 && below_half < n / 2 + n / 100, "%zu of %zu below 0.5",
              below_half, n);
    regfree(&fixed);
    regfree(&expo);
    strbuf_fini(&out);
    template_destroy(&t);
}
