/* failure: curl result codes and HTTP statuses to failure categories. */
#include "worker/failure.h"

#include <errno.h>
#include <string.h>

static const char *s_category(CURLcode rc) {
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return "connect";
    case CURLE_RECV_ERROR:
        return "read";
    case CURLE_SEND_ERROR:
        return "send";
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_BAD_CONTENT_ENCODING:
        return "protocol";
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ENGINE_INITFAILED:
        return "tls";
    default:
        return "error";
    }
}

/* Categories whose detail is ours rather than curl's message; false for the rest. */
static bool s_named(CURLcode rc, long status, long os_errno, wstats_reason_t *why) {
    const char *cat = NULL, *detail = NULL;
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
        if (os_errno != EMFILE && os_errno != ENFILE) return false;
        cat = "connect";
        detail = "out of file descriptors (too many open files: raise ulimit -n)";
        break;
    case CURLE_OPERATION_TIMEDOUT:
        cat = "timeout";
        detail = status > 0 ? "response incomplete when the request timed out"
                            : "no response before the request timed out";
        break;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
        if (os_errno != ECONNRESET) return false;
        cat = "connection reset";
        detail = status > 0 ? "reset by the server during the response"
                            : "reset by the server before a response";
        break;
    case CURLE_GOT_NOTHING:
        cat = "empty reply";
        detail = "the server closed the connection without sending anything";
        break;
    case CURLE_PARTIAL_FILE:
        cat = "incomplete response";
        detail = "the connection closed before the whole body arrived";
        break;
    case CURLE_WEIRD_SERVER_REPLY:
        cat = "invalid HTTP response";
        detail = "malformed status line or headers";
        break;
    case CURLE_UNSUPPORTED_PROTOCOL: /* curl's answer to bytes that are not HTTP ("HTTP/0.9") */
        cat = "invalid HTTP response";
        detail = "the server did not answer in HTTP";
        break;
    default:
        return false;
    }
    *why = (wstats_reason_t){cat, detail, 0};
    return true;
}

bool failure_classify_os(CURLcode rc, long status, long os_errno, wstats_reason_t *why) {
    if (rc != CURLE_OK) {
        if (!s_named(rc, status, os_errno, why))
            *why = (wstats_reason_t){s_category(rc), curl_easy_strerror(rc), 0};
        return true;
    }
    if (status >= 400) {
        *why = (wstats_reason_t){"status", "", (int)status};
        return true;
    }
    return false;
}

/* A receive or send error that is the TLS layer's (an alert after the
 * handshake, as TLS 1.3 servers send when a client certificate is missing or
 * refused): curl's OpenSSL backend names the call that failed. */
static bool s_tls_io(CURLcode rc, const char *message) {
    return (rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR) &&
           (strncmp(message, "OpenSSL SSL_", 12) == 0 || strstr(message, " alert ") != NULL);
}

bool failure_classify_msg(CURLcode rc, long status, long os_errno, const char *message,
                          wstats_reason_t *why) {
    if (!message) message = "";
    bool tls = rc != CURLE_OK && (!strcmp(s_category(rc), "tls") || s_tls_io(rc, message));
    if (!tls || !*message) return failure_classify_os(rc, status, os_errno, why);
    *why = (wstats_reason_t){"tls", message, 0};
    return true;
}

bool failure_classify(CURLcode rc, long status, wstats_reason_t *why) {
    return failure_classify_os(rc, status, 0, why);
}
