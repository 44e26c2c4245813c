/* test_websec: web/websec — address parsing, the loopback rule, HTTP Basic,
 * and the Host / Origin checks, without sockets. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "web/websec.h"

static websec_addr_t s_addr(const char *text) {
    websec_addr_t a;
    char *err = NULL;
    cr_assert_eq(websec_addr_parse(text, &a, &err), 0, "%s: %s", text, err ? err : "?");
    cr_assert_null(err);
    return a;
}

static void s_bad(const char *text, const char *why) {
    websec_addr_t a;
    char *err = NULL;
    cr_assert_eq(websec_addr_parse(text, &a, &err), -1, "%s parsed", text);
    cr_assert_not_null(err);
    cr_assert(strstr(err, why), "%s: got '%s', want '%s'", text, err, why);
    free(err);
}

Test(websec, parses_v4_v6_localhost_and_port_zero) {
    websec_addr_t a = s_addr("127.0.0.1:8089");
    cr_assert_str_eq(a.host, "127.0.0.1");
    cr_assert_eq(a.port, 8089);
    cr_assert(a.loopback && !a.v6 && !a.wildcard);
    a = s_addr("[::1]:0");
    cr_assert_str_eq(a.host, "::1");
    cr_assert_eq(a.port, 0);
    cr_assert(a.loopback && a.v6);
    a = s_addr("localhost:9000");
    cr_assert_str_eq(a.host, "127.0.0.1");
    cr_assert(a.loopback);
    a = s_addr("127.1.2.3:1");
    cr_assert(a.loopback, "all of 127.0.0.0/8 is loopback");
    a = s_addr("0.0.0.0:8089");
    cr_assert(a.wildcard && !a.loopback);
    a = s_addr("[::]:8089");
    cr_assert(a.wildcard && a.v6 && !a.loopback);
    a = s_addr("192.0.2.7:80");
    cr_assert(!a.wildcard && !a.loopback);
}

Test(websec, refuses_malformed_addresses_with_a_reason) {
    s_bad("127.0.0.1", "expected HOST:PORT");
    s_bad("127.0.0.1:", "port must be a number");
    s_bad("127.0.0.1:65536", "port must be a number");
    s_bad("127.0.0.1:-1", "port must be a number");
    s_bad("127.0.0.1:80x", "port must be a number");
    s_bad(":8089", "no host");
    s_bad("::1:8089", "IPv6 address goes in brackets");
    s_bad("[::1]8089", "expected [IPV6]:PORT");
    s_bad("[::1:8089", "expected [IPV6]:PORT");
    s_bad("example.com:80", "not a numeric IPv4");
    s_bad("[1.2.3.4]:80", "not a numeric IPv6");
}

Test(websec, beyond_loopback_needs_auth_or_insecure) {
    websec_addr_t lo = s_addr("127.0.0.1:0"), any = s_addr("0.0.0.0:0"), v6 = s_addr("[::]:0");
    cr_assert(websec_bind_allowed(&lo, false, false));
    cr_assert_not(websec_bind_allowed(&any, false, false));
    cr_assert_not(websec_bind_allowed(&v6, false, false));
    cr_assert(websec_bind_allowed(&any, true, false));
    cr_assert(websec_bind_allowed(&any, false, true));
}

Test(websec, basic_auth_accepts_exactly_the_credentials) {
    /* "ann:s3cret" in base64 is YW5uOnMzY3JldA== */
    cr_assert(websec_basic_ok("Basic YW5uOnMzY3JldA==", "ann:s3cret"));
    cr_assert(websec_basic_ok("basic YW5uOnMzY3JldA==", "ann:s3cret"),
              "the scheme is case-insensitive");
    cr_assert_not(websec_basic_ok("Basic YW5uOnMzY3JldA==", "ann:s3cre"));
    cr_assert_not(websec_basic_ok("Basic YW5uOnMzY3JldA==", "ann:s3cretX"));
    cr_assert_not(websec_basic_ok("Basic YW5uOnMzY3JldB==", "ann:s3cret"));
    cr_assert_not(websec_basic_ok("Bearer YW5uOnMzY3JldA==", "ann:s3cret"));
    cr_assert_not(websec_basic_ok("Basic !!!", "ann:s3cret"));
    cr_assert_not(websec_basic_ok("Basic ", "ann:s3cret"));
    cr_assert_not(websec_basic_ok(NULL, "ann:s3cret"));
}

Test(websec, host_must_name_the_bound_address) {
    websec_addr_t lo = s_addr("127.0.0.1:0");
    cr_assert(websec_host_ok("127.0.0.1:8089", &lo, 8089));
    cr_assert(websec_host_ok("localhost:8089", &lo, 8089));
    cr_assert(websec_host_ok("LocalHost:8089", &lo, 8089));
    cr_assert_not(websec_host_ok("127.0.0.1:8090", &lo, 8089), "another port");
    cr_assert_not(websec_host_ok("127.0.0.2:8089", &lo, 8089), "another address");
    cr_assert_not(websec_host_ok("evil.example:8089", &lo, 8089), "a DNS name: rebinding");
    cr_assert_not(websec_host_ok("127.0.0.1", &lo, 8089), "no port means 80");
    cr_assert(websec_host_ok("127.0.0.1", &lo, 80));
    cr_assert_not(websec_host_ok(NULL, &lo, 8089));
    cr_assert_not(websec_host_ok("", &lo, 8089));
    websec_addr_t v6 = s_addr("[::1]:0");
    cr_assert(websec_host_ok("[::1]:8089", &v6, 8089));
    cr_assert(websec_host_ok("[0:0::1]:8089", &v6, 8089), "compared as addresses");
    cr_assert(websec_host_ok("localhost:8089", &v6, 8089));
    cr_assert_not(websec_host_ok("::1:8089", &v6, 8089));
    websec_addr_t pub = s_addr("192.0.2.7:0");
    cr_assert(websec_host_ok("192.0.2.7:8089", &pub, 8089));
    cr_assert_not(websec_host_ok("localhost:8089", &pub, 8089), "localhost is not this server");
    websec_addr_t any = s_addr("0.0.0.0:0");
    cr_assert(websec_host_ok("192.0.2.7:8089", &any, 8089), "a wildcard bind: any IP literal");
    cr_assert(websec_host_ok("[2001:db8::1]:8089", &any, 8089));
    cr_assert_not(websec_host_ok("lab.example:8089", &any, 8089), "but no DNS name");
}

Test(websec, origin_absent_or_same_else_refused) {
    websec_addr_t lo = s_addr("127.0.0.1:0");
    cr_assert(websec_origin_ok(NULL, &lo, 8089));
    cr_assert(websec_origin_ok("http://127.0.0.1:8089", &lo, 8089));
    cr_assert(websec_origin_ok("http://localhost:8089", &lo, 8089));
    cr_assert_not(websec_origin_ok("http://evil.example", &lo, 8089));
    cr_assert_not(websec_origin_ok("http://127.0.0.1:9999", &lo, 8089));
    cr_assert_not(websec_origin_ok("https://127.0.0.1:8089", &lo, 8089));
    cr_assert_not(websec_origin_ok("null", &lo, 8089));
    cr_assert_not(websec_origin_ok("http://127.0.0.1:8089/", &lo, 8089));
}

Test(websec, fetch_site_allows_only_the_page_itself_or_the_user) {
    cr_assert(websec_fetch_site_ok(NULL));
    cr_assert(websec_fetch_site_ok("same-origin"));
    cr_assert(websec_fetch_site_ok("none"));
    cr_assert_not(websec_fetch_site_ok("same-site"));
    cr_assert_not(websec_fetch_site_ok("cross-site"));
    cr_assert_not(websec_fetch_site_ok(""));
}
