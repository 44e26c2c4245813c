/* test_failure: curl results and HTTP statuses to failure reasons (worker/failure.h). */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "worker/failure.h"

/* Asserts rc classifies as a failure of category cat with curl's own message as detail. */
static void s_expect_category(CURLcode rc, const char *cat) {
    wstats_reason_t why = {0};
    cr_assert(failure_classify(rc, 0, &why), "curl code %d should fail", (int)rc);
    cr_expect_str_eq(why.category, cat, "curl code %d", (int)rc);
    cr_expect_str_eq(why.detail, curl_easy_strerror(rc));
    cr_expect_eq(why.status, 0);
}

Test(failure, success_statuses_are_not_failures) {
    long statuses[] = {200, 201, 204, 299, 301, 302, 304, 399};
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        wstats_reason_t why = {"untouched", "untouched", -1};
        cr_expect_not(failure_classify(CURLE_OK, statuses[i], &why), "status %ld", statuses[i]);
    }
}

Test(failure, status_400_and_above_fail_with_the_status) {
    long statuses[] = {400, 401, 404, 429, 499, 500, 503, 599};
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        wstats_reason_t why = {0};
        cr_assert(failure_classify(CURLE_OK, statuses[i], &why), "status %ld", statuses[i]);
        cr_expect_eq(why.status, (int)statuses[i]);
        cr_expect_str_eq(why.category, "status");
    }
}

Test(failure, connect_errors) {
    s_expect_category(CURLE_COULDNT_CONNECT, "connect");
    s_expect_category(CURLE_COULDNT_RESOLVE_HOST, "connect");
    s_expect_category(CURLE_COULDNT_RESOLVE_PROXY, "connect");
}

/* Asserts (rc, status, os_errno) classifies as category with exactly detail. */
static void s_expect_named(CURLcode rc, long status, long os_errno, const char *cat,
                           const char *detail) {
    wstats_reason_t why = {0};
    cr_assert(failure_classify_os(rc, status, os_errno, &why), "curl code %d should fail", (int)rc);
    cr_expect_str_eq(why.category, cat, "curl code %d", (int)rc);
    cr_expect_str_eq(why.detail, detail, "curl code %d", (int)rc);
    cr_expect_eq(why.status, 0);
}

Test(failure, timeout_tells_no_response_from_a_slow_one) {
    s_expect_named(CURLE_OPERATION_TIMEDOUT, 0, 0, "timeout",
                   "no response before the request timed out");
    s_expect_named(CURLE_OPERATION_TIMEDOUT, 200, 0, "timeout",
                   "response incomplete when the request timed out");
}

Test(failure, connection_reset_by_errno) {
    s_expect_named(CURLE_RECV_ERROR, 200, ECONNRESET, "connection reset",
                   "reset by the server during the response");
    s_expect_named(CURLE_RECV_ERROR, 0, ECONNRESET, "connection reset",
                   "reset by the server before a response");
    s_expect_named(CURLE_SEND_ERROR, 0, ECONNRESET, "connection reset",
                   "reset by the server before a response");
}

Test(failure, empty_reply_and_incomplete_body) {
    s_expect_named(CURLE_GOT_NOTHING, 0, 0, "empty reply",
                   "the server closed the connection without sending anything");
    s_expect_named(CURLE_PARTIAL_FILE, 200, 0, "incomplete response",
                   "the connection closed before the whole body arrived");
}

Test(failure, invalid_http) {
    s_expect_named(CURLE_UNSUPPORTED_PROTOCOL, 0, 0, "invalid HTTP response",
                   "the server did not answer in HTTP");
    s_expect_named(CURLE_WEIRD_SERVER_REPLY, 0, 0, "invalid HTTP response",
                   "malformed status line or headers");
}

Test(failure, out_of_file_descriptors) {
    s_expect_named(CURLE_COULDNT_CONNECT, 0, EMFILE, "connect",
                   "out of file descriptors (too many open files: raise ulimit -n)");
    s_expect_named(CURLE_COULDNT_CONNECT, 0, ENFILE, "connect",
                   "out of file descriptors (too many open files: raise ulimit -n)");
    s_expect_category(CURLE_COULDNT_CONNECT, "connect"); /* refused: curl's own words */
}

Test(failure, other_read_and_send_errors) {
    s_expect_category(CURLE_RECV_ERROR, "read");
    s_expect_category(CURLE_SEND_ERROR, "send");
    wstats_reason_t why = {0};
    cr_assert(failure_classify_os(CURLE_RECV_ERROR, 0, ETIMEDOUT, &why));
    cr_expect_str_eq(why.category, "read");
}

Test(failure, protocol_errors) {
    s_expect_category(CURLE_HTTP2, "protocol");
    s_expect_category(CURLE_HTTP2_STREAM, "protocol");
    s_expect_category(CURLE_TOO_MANY_REDIRECTS, "protocol");
    s_expect_category(CURLE_BAD_CONTENT_ENCODING, "protocol");
}

Test(failure, tls_errors) {
    s_expect_category(CURLE_SSL_CONNECT_ERROR, "tls");
    s_expect_category(CURLE_PEER_FAILED_VERIFICATION, "tls");
    s_expect_category(CURLE_SSL_CERTPROBLEM, "tls");
    s_expect_category(CURLE_SSL_CIPHER, "tls");
    s_expect_category(CURLE_SSL_CACERT_BADFILE, "tls");
}

Test(failure, other_curl_errors_are_generic) {
    s_expect_category(CURLE_OUT_OF_MEMORY, "error");
    s_expect_category(CURLE_URL_MALFORMAT, "error");
    s_expect_category(CURLE_ABORTED_BY_CALLBACK, "error");
}

Test(failure, curl_error_wins_over_status) {
    /* A transfer cut off after a 200 header is still a read failure, not a success. */
    wstats_reason_t why = {0};
    cr_assert(failure_classify(CURLE_PARTIAL_FILE, 200, &why));
    cr_expect_str_eq(why.category, "incomplete response");
    cr_expect_eq(why.status, 0);
    cr_assert(failure_classify(CURLE_OPERATION_TIMEDOUT, 503, &why));
    cr_expect_str_eq(why.category, "timeout");
}

Test(failure, reasons_are_static_so_wstats_can_compare_pointers) {
    wstats_reason_t a = {0}, b = {0};
    failure_classify(CURLE_COULDNT_CONNECT, 0, &a);
    failure_classify(CURLE_COULDNT_CONNECT, 0, &b);
    cr_expect_eq(a.category, b.category);
    cr_expect_eq(a.detail, b.detail);
}

/* A TLS failure carries curl's own message (its error buffer): the cause a person acts on. */
Test(failure, tls_failures_carry_curls_message) {
    const char *msg = "SSL certificate problem: self-signed certificate";
    CURLcode codes[] = {CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR,
                        CURLE_SSL_CERTPROBLEM, CURLE_SSL_CLIENTCERT, CURLE_SSL_CACERT_BADFILE};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        wstats_reason_t why = {0};
        cr_assert(failure_classify_msg(codes[i], 0, 0, msg, &why));
        cr_expect_str_eq(why.category, "tls", "curl code %d", (int)codes[i]);
        cr_expect_eq(why.detail, msg, "the message itself, for the caller to keep");
    }
}

Test(failure, a_tls_failure_without_a_message_has_curls_generic_text) {
    wstats_reason_t why = {0};
    cr_assert(failure_classify_msg(CURLE_PEER_FAILED_VERIFICATION, 0, 0, "", &why));
    cr_expect_str_eq(why.category, "tls");
    cr_expect_str_eq(why.detail, curl_easy_strerror(CURLE_PEER_FAILED_VERIFICATION));
    cr_assert(failure_classify_msg(CURLE_SSL_CONNECT_ERROR, 0, 0, NULL, &why));
    cr_expect_str_eq(why.detail, curl_easy_strerror(CURLE_SSL_CONNECT_ERROR));
}

/* TLS 1.3 servers refuse a missing client certificate after the handshake: an alert
 * that curl reports as a receive error. */
Test(failure, a_tls_alert_on_read_is_tls) {
    const char *alert = "OpenSSL SSL_read: error:0A00045C:SSL routines::tlsv13 alert certificate "
                        "required, errno 0";
    wstats_reason_t why = {0};
    cr_assert(failure_classify_msg(CURLE_RECV_ERROR, 0, 0, alert, &why));
    cr_expect_str_eq(why.category, "tls");
    cr_expect_eq(why.detail, alert);
}

Test(failure, other_failures_keep_their_categories_whatever_the_message) {
    wstats_reason_t why = {0};
    cr_assert(failure_classify_msg(CURLE_RECV_ERROR, 0, ECONNRESET, "Recv failure: reset", &why));
    cr_expect_str_eq(why.category, "connection reset");
    cr_assert(failure_classify_msg(CURLE_COULDNT_CONNECT, 0, 0, "Failed to connect", &why));
    cr_expect_str_eq(why.category, "connect");
    cr_expect_str_eq(why.detail, curl_easy_strerror(CURLE_COULDNT_CONNECT));
    cr_expect_not(failure_classify_msg(CURLE_OK, 200, 0, "ignored", &why));
    cr_assert(failure_classify_msg(CURLE_OK, 503, 0, "ignored", &why));
    cr_expect_str_eq(why.category, "status");
}
