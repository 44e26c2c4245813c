/* barrage-target: the demo HTTP/1.1 server that end-to-end tests and `make demo` load. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "common/log.h"
#include "common/strbuf.h"
#include "tests/target/counters.h"
#include "tests/target/server.h"

typedef struct {
    const char *host;
    unsigned port;
    bool quiet;
    bool allow_remote;
} options_t;

static void s_usage(FILE *out) {
    fputs("usage: barrage-target [--host ADDR] [--port N] [--quiet] [--allow-remote]\n"
          "\n"
          "Demo HTTP/1.1 server for barrage. Prints one line once listening:\n"
          "  barrage-target listening on http://ADDR:PORT\n"
          "and on SIGINT/SIGTERM prints the final request counts as JSON and exits 0.\n"
          "\n"
          "  --host ADDR      address to bind (default 127.0.0.1; loopback only unless\n"
          "                   --allow-remote)\n"
          "  --port N         port (default 0: pick a free one)\n"
          "  -q, --quiet      no informational messages on stderr\n"
          "  --allow-remote   allow binding a non-loopback address\n"
          "  -h, --help       this help\n"
          "  --version        print the version\n"
          "\n"
          "Endpoints: GET / | GET /json?bytes=N | GET /delay?ms=N | ANY /status/CODE |\n"
          "GET /fail-after?ms=N (200, then 500 from N ms after its first request) |\n"
          "POST /login (token in the body and a session cookie) | GET /private | ANY /echo |\n"
          "GET /__stats | POST /__reset |\n"
          "GET /mix?fast=MS&slow=MS&slow_pct=P | GET /dist?p50=MS&p99=MS | POST /__stall?ms=N\n"
          "Faults (tests/target/faults.h): ANY /fault/reset | /fault/hang | /fault/garbage |\n"
          "/fault/huge?mb=N | /fault/drip?ms=N&bytes=M | /fault/close\n",
          out);
}

/* Returns 0 to run, 1 to exit 0 (help/version), 2 on a usage error (already reported). */
static int s_parse_args(int argc, char **argv, options_t *o) {
    enum { OPT_HOST = 256, OPT_PORT, OPT_ALLOW_REMOTE, OPT_VERSION };
    static const struct option longopts[] = {
        {"host", required_argument, NULL, OPT_HOST},
        {"port", required_argument, NULL, OPT_PORT},
        {"quiet", no_argument, NULL, 'q'},
        {"allow-remote", no_argument, NULL, OPT_ALLOW_REMOTE},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    *o = (options_t){.host = "127.0.0.1"};
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        char *end = NULL;
        switch (ch) {
        case OPT_HOST:
            o->host = optarg;
            break;
        case OPT_PORT: {
            errno = 0;
            unsigned long port = strtoul(optarg, &end, 10);
            if (errno || *optarg < '0' || *optarg > '9' || *end != '\0' || port > 65535) {
                fprintf(stderr, "barrage: error: --port: expected 0..65535 (got '%s')\n", optarg);
                return 2;
            }
            o->port = (unsigned)port;
            break;
        }
        case 'q':
            o->quiet = true;
            break;
        case OPT_ALLOW_REMOTE:
            o->allow_remote = true;
            break;
        case 'h':
            s_usage(stdout);
            return 1;
        case OPT_VERSION:
            printf("barrage-target %s\n", BARRAGE_VERSION);
            return 1;
        default:
            fprintf(stderr, "barrage: error: unknown or incomplete option '%s'\n",
                    argv[optind - 1]);
            s_usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "barrage: error: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    return 0;
}

/* Thousands of concurrent connections need more than the usual 1024 descriptors. */
static void s_raise_fd_limit(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0) {
        log_warn("getrlimit(RLIMIT_NOFILE): %s", strerror(errno));
        return;
    }
    rlim_t want = rl.rlim_max == RLIM_INFINITY ? 1048576 : rl.rlim_max;
    if (rl.rlim_cur < want) {
        rl.rlim_cur = want;
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
            log_warn("setrlimit(RLIMIT_NOFILE, %llu): %s", (unsigned long long)want,
                     strerror(errno));
    }
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 8192)
        log_warn("open file limit is %llu: fewer concurrent connections are possible",
                 (unsigned long long)rl.rlim_cur);
}

int main(int argc, char **argv) {
    options_t opt;
    int rc = s_parse_args(argc, argv, &opt);
    if (rc) return rc == 1 ? 0 : 2;
    log_init("target", opt.quiet ? LOG_LEVEL_WARN : LOG_LEVEL_INFO);
    s_raise_fd_limit();

    /* Signals arrive through the server's signalfd: block them before anything else runs. */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR || sigprocmask(SIG_BLOCK, &mask, NULL) < 0) {
        fprintf(stderr, "barrage: error: cannot set up signals: %s\n", strerror(errno));
        return 1;
    }

    counters_t *counters = counters_new();
    server_t *server = server_new(opt.host, (uint16_t)opt.port, opt.allow_remote, counters);
    if (!server) {
        counters_destroy(&counters);
        return 1;
    }
    printf("barrage-target listening on %s\n", server_url(server));
    fflush(stdout);
    log_info("listening on %s", server_url(server));

    rc = server_run(server);
    server_destroy(&server);

    strbuf_t out;
    strbuf_init(&out);
    counters_format_json(counters, &out);
    strbuf_append_char(&out, '\n');
    fwrite(strbuf_str(&out), 1, out.len, stdout);
    fflush(stdout);
    strbuf_fini(&out);
    log_info("stopped after %llu requests", (unsigned long long)counters_total(counters));
    counters_destroy(&counters);
    return rc == 0 ? 0 : 1;
}
