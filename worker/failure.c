/* failure: curl result codes and HTTP statuses to failure categories. */
#include "worker/failure.h"

static const char *s_category(CURLcode rc) {
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return "connect";
    case CURLE_OPERATION_TIMEDOUT:
        return "timeout";
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
        return "read";
    case CURLE_SEND_ERROR:
        return "send";
    case CURLE_WEIRD_SERVER_REPLY:
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

bool failure_classify(CURLcode rc, long status, wstats_reason_t *why) {
    if (rc != CURLE_OK) {
        *why = (wstats_reason_t){s_category(rc), curl_easy_strerror(rc), 0};
        return true;
    }
    if (status >= 400) {
        *why = (wstats_reason_t){"status", "", (int)status};
        return true;
    }
    return false;
}
