/* test_tls: the scenario's tls: and http: keys — reading, key-by-key precedence
 * (scenario_request_tls, scenario_request_http), the files they name (read once
 * per name, kept byte for byte, listed by scenario_file) and their errors. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/scenario.h"
#include "tests/unit/scenario_text.h"

#define CA_PEM "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n"
#define OTHER_PEM "-----BEGIN CERTIFICATE-----\nother\n-----END CERTIFICATE-----\n"
#define CERT_PEM "-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n"
#define KEY_PEM "-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n"

/* An in-memory directory that counts the reads of each file. */
typedef struct {
    const char *name;
    const char *data;
    int reads;
} t_file_t;

static t_file_t s_files[] = {
    {"ca.pem", CA_PEM, 0},      {"other.pem", OTHER_PEM, 0}, {"client.pem", CERT_PEM, 0},
    {"client.key", KEY_PEM, 0}, {"u.csv", "id\n1\n", 0},     {"der.crt", "\x30\x82\x01", 0},
};
#define N_FILES (sizeof s_files / sizeof s_files[0])

static char *s_read(void *ctx, const char *name, size_t *len) {
    (void)ctx;
    for (size_t i = 0; i < N_FILES; i++) {
        if (strcmp(s_files[i].name, name) == 0) {
            s_files[i].reads++;
            *len = strlen(s_files[i].data);
            return strdup(s_files[i].data);
        }
    }
    errno = ENOENT;
    return NULL;
}

static const scenario_files_t s_files_in_memory = {.read = s_read};

static scenario_t *s_load_ok(const char *text) {
    return scenario_text_ok("t.yaml", text, &s_files_in_memory);
}

/* The errors of text, one per line (caller frees). */
static char *s_errors(const char *text) {
    return scenario_text_errors("t.yaml", text, &s_files_in_memory);
}

static const scenario_request_t *s_step(const scenario_t *s, size_t task) {
    return &s->classes[0].tasks[task].steps[0];
}

Test(tls, without_keys_verification_is_on_with_the_system_cas_over_http_1_1) {
    scenario_t *s = s_load_ok("users: [{name: A, tasks: [{get: /}]}]\n");
    cr_expect_eq(s->default_tls.verify, -1, "not set");
    scenario_tls_t t = scenario_request_tls(s, s_step(s, 0));
    cr_expect_eq(t.verify, 1);
    cr_expect_null(t.ca.name);
    cr_expect_null(t.cert.name);
    cr_expect_null(t.key.name);
    cr_expect_eq(t.min_version, SCENARIO_TLS_ANY);
    cr_expect_eq(s->default_http, SCENARIO_HTTP_UNSET);
    cr_expect_eq(scenario_request_http(s, s_step(s, 0)), SCENARIO_HTTP_1_1);
    cr_expect_eq(scenario_n_files(s), 0);
    scenario_destroy(&s);
}

Test(tls, a_request_overrides_the_defaults_key_by_key) {
    scenario_t *s = s_load_ok("defaults:\n"
                              "  tls: {ca: ca.pem, cert: client.pem, key: client.key,\n"
                              "        min_version: \"1.2\"}\n"
                              "  http: \"2\"\n"
                              "users:\n"
                              "  - name: A\n"
                              "    tasks:\n"
                              "      - get: /inherits\n"
                              "      - get: /own\n"
                              "        tls: {verify: false, ca: other.pem, min_version: \"1.3\"}\n"
                              "        http: h2c\n"
                              "      - {get: /one, http: \"1.1\", tls: {verify: true}}\n");
    scenario_tls_t a = scenario_request_tls(s, s_step(s, 0));
    cr_expect_eq(a.verify, 1);
    cr_expect_str_eq(a.ca.name, "ca.pem");
    cr_expect_eq(a.ca.data_bytes, strlen(CA_PEM));
    cr_expect_eq(memcmp(a.ca.data, CA_PEM, a.ca.data_bytes), 0);
    cr_expect_str_eq(a.cert.name, "client.pem");
    cr_expect_str_eq(a.key.name, "client.key");
    cr_expect_eq(a.min_version, SCENARIO_TLS_1_2);
    cr_expect_eq(scenario_request_http(s, s_step(s, 0)), SCENARIO_HTTP_2);

    scenario_tls_t b = scenario_request_tls(s, s_step(s, 1));
    cr_expect_eq(b.verify, 0);
    cr_expect_str_eq(b.ca.name, "other.pem");
    cr_expect_str_eq(b.ca.data, OTHER_PEM);
    cr_expect_str_eq(b.cert.name, "client.pem", "not set in the request: the defaults'");
    cr_expect_str_eq(b.key.name, "client.key");
    cr_expect_eq(b.min_version, SCENARIO_TLS_1_3);
    cr_expect_eq(scenario_request_http(s, s_step(s, 1)), SCENARIO_HTTP_H2C);

    scenario_tls_t c = scenario_request_tls(s, s_step(s, 2));
    cr_expect_eq(c.verify, 1);
    cr_expect_str_eq(c.ca.name, "ca.pem");
    cr_expect_eq(scenario_request_http(s, s_step(s, 2)), SCENARIO_HTTP_1_1);
    cr_expect_eq(s_step(s, 0)->tls.verify, -1, "the model keeps what was written");
    cr_expect_null(s_step(s, 0)->tls.ca.name);
    scenario_destroy(&s);
}

Test(tls, each_file_is_read_once_and_listed_in_first_use_order) {
    for (size_t i = 0; i < N_FILES; i++)
        s_files[i].reads = 0;
    scenario_t *s = s_load_ok("data: {file: u.csv}\n"
                              "defaults: {tls: {ca: ca.pem}}\n"
                              "users:\n"
                              "  - name: A\n"
                              "    tasks:\n"
                              "      - {get: /a, tls: {ca: ca.pem, cert: client.pem}}\n"
                              "      - {get: /b, tls: {cert: client.pem, key: client.key}}\n"
                              "      - {get: /c, tls: {ca: other.pem}}\n");
    for (size_t i = 0; i < N_FILES; i++) {
        bool used = strcmp(s_files[i].name, "der.crt") != 0;
        cr_expect_eq(s_files[i].reads, used ? 1 : 0, "%s read %d times", s_files[i].name,
                     s_files[i].reads);
    }
    const char *want[] = {"u.csv", "ca.pem", "client.pem", "client.key", "other.pem"};
    cr_assert_eq(scenario_n_files(s), 5);
    for (size_t i = 0; i < 5; i++) {
        scenario_file_t f = scenario_file(s, i);
        cr_expect_str_eq(f.name, want[i]);
        cr_expect_eq(f.data[f.data_bytes], '\0', "NUL after the bytes");
    }
    /* The model's views point at the kept bytes: the ones shipped. */
    cr_expect_eq(s_step(s, 0)->tls.ca.data, scenario_file(s, 1).data);
    cr_expect_eq(s->default_tls.ca.data, scenario_file(s, 1).data);
    cr_expect_null(scenario_file(s, 5).name, "past the end: nothing");
    scenario_destroy(&s);
}

Test(tls, http_names_round_trip) {
    cr_expect_str_eq(scenario_http_name(SCENARIO_HTTP_1_1), "1.1");
    cr_expect_str_eq(scenario_http_name(SCENARIO_HTTP_2), "2");
    cr_expect_str_eq(scenario_http_name(SCENARIO_HTTP_H2C), "h2c");
    cr_expect_str_eq(scenario_http_name(SCENARIO_HTTP_UNSET), "");
}

Test(tls, each_bad_key_is_reported_at_its_node) {
    char *got =
        s_errors("defaults:\n"
                 "  tls: {ca: missing.pem, cert: der.crt, verify: 1, min_version: \"1.1\"}\n"
                 "  http: \"1.0\"\n"
                 "users:\n"
                 "  - name: A\n"
                 "    tasks:\n"
                 "      - {get: /a, tls: {key: client.key}}\n"
                 "      - {get: /b, tls: [ca.pem], http: h3}\n"
                 "      - {get: /c, tls: {ca: \"\", sni: x}}\n");
    cr_expect_str_eq(got,
                     "t.yaml:2:13: error: cannot read ca file 'missing.pem': No such file or "
                     "directory\n"
                     "t.yaml:2:32: error: cert file 'der.crt' is not PEM (expected a -----BEGIN "
                     "CERTIFICATE----- block)\n"
                     "t.yaml:2:49: error: verify must be true or false (got 1)\n"
                     "t.yaml:2:65: error: min_version must be \"1.2\" or \"1.3\" (got '1.1')\n"
                     "t.yaml:3:9: error: http must be \"1.1\", \"2\" or \"h2c\" (got '1.0')\n"
                     "t.yaml:7:24: error: tls has a key but no cert (expected cert: the client "
                     "certificate the key belongs to)\n"
                     "t.yaml:8:24: error: tls must be a mapping (got a sequence)\n"
                     "t.yaml:8:40: error: http must be \"1.1\", \"2\" or \"h2c\" (got 'h3')\n"
                     "t.yaml:9:29: error: ca must not be empty\n"
                     "t.yaml:9:33: error: unknown key 'sni' in tls (expected verify, ca, cert, "
                     "key or min_version)\n");
    free(got);
}

Test(tls, a_key_needs_a_cert_in_the_defaults_too) {
    char *got = s_errors("defaults: {tls: {key: client.key}}\n"
                         "users: [{name: A, tasks: [{get: /, tls: {cert: client.pem}}]}]\n");
    cr_expect_str_eq(got, "t.yaml:1:17: error: tls has a key but no cert (expected cert: the "
                          "client certificate the key belongs to)\n");
    free(got);
}

Test(tls, a_cert_from_the_defaults_pairs_with_a_requests_key) {
    scenario_t *s = s_load_ok("defaults: {tls: {cert: client.pem}}\n"
                              "users: [{name: A, tasks: [{get: /, tls: {key: client.key}}]}]\n");
    scenario_tls_t t = scenario_request_tls(s, s_step(s, 0));
    cr_expect_str_eq(t.cert.name, "client.pem");
    cr_expect_str_eq(t.key.name, "client.key");
    scenario_destroy(&s);
}

Test(tls, null_tls_means_nothing_set) {
    scenario_t *s = s_load_ok("defaults: {tls: }\nusers: [{name: A, tasks: [{get: /, tls: ~}]}]\n");
    cr_expect_eq(scenario_request_tls(s, s_step(s, 0)).verify, 1);
    scenario_destroy(&s);
}
