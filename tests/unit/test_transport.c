/* test_transport: the scenario's connections:, compression:, proxy: and resolve:
 * keys — reading, the defaults and a request's own (scenario_request_accept_encoding,
 * scenario_request_proxy), the resolve entries as libcurl takes them, and the errors
 * of each at its file:line:column. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/scenario.h"
#include "tests/unit/scenario_text.h"

static scenario_t *s_load_ok(const char *text) {
    return scenario_text_ok("t.yaml", text, NULL);
}

/* The errors of text, one per line (caller frees). */
static char *s_errors(const char *text) {
    return scenario_text_errors("t.yaml", text, NULL);
}

static const scenario_request_t *s_step(const scenario_t *s, size_t task) {
    return &s->classes[0].tasks[task].steps[0];
}

Test(transport, without_keys_per_user_no_compression_no_proxy_no_resolve) {
    scenario_t *s = s_load_ok("users: [{name: A, tasks: [{get: /}]}]\n");
    cr_expect_eq(s->connections.mode, SCENARIO_CONN_PER_USER);
    cr_expect_null(scenario_request_accept_encoding(s, s_step(s, 0)));
    cr_expect_null(scenario_request_proxy(s, s_step(s, 0)));
    cr_expect_eq(s->n_resolve, 0);
    scenario_destroy(&s);
}

Test(transport, connections_forms) {
    scenario_t *s =
        s_load_ok("defaults: {connections: new}\nusers: [{name: A, tasks: [{get: /}]}]\n");
    cr_expect_eq(s->connections.mode, SCENARIO_CONN_NEW);
    scenario_destroy(&s);
    s = s_load_ok("defaults: {connections: per_user}\nusers: [{name: A, tasks: [{get: /}]}]\n");
    cr_expect_eq(s->connections.mode, SCENARIO_CONN_PER_USER);
    scenario_destroy(&s);
    s = s_load_ok("defaults: {connections: {shared: 4, streams: 20}}\n"
                  "users: [{name: A, tasks: [{get: /}]}]\n");
    cr_expect_eq(s->connections.mode, SCENARIO_CONN_SHARED);
    cr_expect_eq(s->connections.shared, 4);
    cr_expect_eq(s->connections.streams, 20);
    scenario_destroy(&s);
    s = s_load_ok("defaults: {connections: {shared: 1}}\nusers: [{name: A, tasks: [{get: /}]}]\n");
    cr_expect_eq(s->connections.shared, 1);
    cr_expect_eq(s->connections.streams, SCENARIO_DEFAULT_STREAMS, "libcurl's default");
    scenario_destroy(&s);
}

Test(transport, compression_and_proxy_defaults_then_the_request_key_by_key) {
    scenario_t *s = s_load_ok("defaults:\n"
                              "  compression: true\n"
                              "  proxy: http://127.0.0.1:3128\n"
                              "users:\n"
                              "  - name: A\n"
                              "    tasks:\n"
                              "      - {get: /a}\n"
                              "      - {get: /b, compression: false, proxy: socks5h://p:1080}\n"
                              "      - {get: /c, compression: [br, gzip]}\n"
                              "      - {get: /d, compression: [deflate]}\n");
    cr_expect_str_eq(scenario_request_accept_encoding(s, s_step(s, 0)), "", "all libcurl has");
    cr_expect_str_eq(scenario_request_proxy(s, s_step(s, 0)), "http://127.0.0.1:3128");
    cr_expect_null(scenario_request_accept_encoding(s, s_step(s, 1)), "false wins over true");
    cr_expect_str_eq(scenario_request_proxy(s, s_step(s, 1)), "socks5h://p:1080");
    cr_expect_str_eq(scenario_request_accept_encoding(s, s_step(s, 2)), "br, gzip", "as written");
    cr_expect_str_eq(scenario_request_proxy(s, s_step(s, 2)), "http://127.0.0.1:3128");
    cr_expect_str_eq(scenario_request_accept_encoding(s, s_step(s, 3)), "deflate");
    scenario_destroy(&s);
}

Test(transport, a_request_turns_compression_on_without_defaults) {
    scenario_t *s = s_load_ok("users: [{name: A, tasks: [{get: /a, compression: [gzip]}, "
                              "{get: /b}]}]\n");
    cr_expect_str_eq(scenario_request_accept_encoding(s, s_step(s, 0)), "gzip");
    cr_expect_null(scenario_request_accept_encoding(s, s_step(s, 1)));
    scenario_destroy(&s);
}

Test(transport, resolve_entries_are_curls_with_ipv6_in_brackets) {
    scenario_t *s = s_load_ok("defaults:\n"
                              "  resolve: {\"api.test:443\": 127.0.0.1, \"v6.test:80\": \"::1\"}\n"
                              "users: [{name: A, tasks: [{get: /}]}]\n");
    cr_assert_eq(s->n_resolve, 2);
    cr_expect_str_eq(s->resolve[0], "api.test:443:127.0.0.1");
    cr_expect_str_eq(s->resolve[1], "v6.test:80:[::1]");
    scenario_destroy(&s);
}

Test(transport, each_bad_key_is_reported_at_its_node) {
    char *got = s_errors("defaults:\n"
                         "  connections: {shared: 0, streams: x, pool: 2}\n"
                         "  compression: [gzip, gzip, lz4]\n"
                         "  proxy: 127.0.0.1:3128\n"
                         "  resolve: {\"a.test:80\": 1.2.3, \"b.test\": 10.0.0.1, \"c:0\": \"::1\","
                         " \"a.test:80\": 127.0.0.1}\n"
                         "users:\n"
                         "  - name: A\n"
                         "    tasks:\n"
                         "      - {get: /a, compression: yes, proxy: [x]}\n"
                         "      - {get: /b, compression: {gzip: true}, connections: new}\n");
    cr_expect_str_eq(
        got,
        "t.yaml:2:25: error: shared must be an integer >= 1 (got 0)\n"
        "t.yaml:2:37: error: streams must be an integer >= 1 (got 'x')\n"
        "t.yaml:2:40: error: unknown key 'pool' in connections (expected shared or streams)\n"
        "t.yaml:3:23: error: compression lists gzip twice\n"
        "t.yaml:3:29: error: compression encoding must be gzip, deflate or br (got 'lz4')\n"
        "t.yaml:4:10: error: proxy must be a URL with a host, starting http://, https://, "
        "socks4://, socks4a://, socks5:// or socks5h:// (got '127.0.0.1:3128')\n"
        "t.yaml:5:26: error: resolve address must be an IPv4 or IPv6 address (got '1.2.3')\n"
        "t.yaml:5:33: error: resolve key must be host:port (got 'b.test')\n"
        "t.yaml:5:53: error: resolve key 'c:0': port must be 1 to 65535\n"
        "t.yaml:5:67: error: duplicate key 'a.test:80' (first at 5:13)\n"
        "t.yaml:9:32: error: compression must be true, false or a list of gzip, deflate, br "
        "(got 'yes')\n"
        "t.yaml:9:44: error: proxy must be a string (got a sequence)\n"
        "t.yaml:10:32: error: compression must be true, false or a list of gzip, deflate, br "
        "(got a mapping)\n"
        "t.yaml:10:46: error: unknown key 'connections' in task (expected name, get, post, put, "
        "patch, delete, head, options, headers, query, json, form, body, timeout, "
        "follow_redirects, capture, expect, tls, http, compression, proxy, weight or steps)\n");
    free(got);
}

Test(transport, connections_of_another_shape_are_refused) {
    char *got =
        s_errors("defaults: {connections: pooled}\nusers: [{name: A, tasks: [{get: /}]}]\n");
    cr_expect_str_eq(got, "t.yaml:1:25: error: connections must be per_user, new or {shared: N, "
                          "streams: M} (got 'pooled')\n");
    free(got);
    got = s_errors("defaults: {connections: {streams: 4}, resolve: [a]}\n"
                   "users: [{name: A, tasks: [{get: /}]}]\n");
    cr_expect_str_eq(got, "t.yaml:1:25: error: connections has no shared (expected {shared: N, "
                          "streams: M}: at most N connections per host)\n"
                          "t.yaml:1:48: error: resolve must be a mapping of \"host:port\": "
                          "address (got a sequence)\n");
    free(got);
}
