/* failure: curl result codes and HTTP statuses to failure categories. */
#include "worker/failure.h"

#include <errno.h>

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

bool failure_classify(CURLcode rc, long status, wstats_reason_t *why) {
    return failure_classify_os(rc, status, 0, why);
}
