/* barrage-worker: the worker daemon's command line; forks --processes peers. */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef BARRAGE_WITH_MIMALLOC
#include <mimalloc.h>
#endif

#include "proto/keys.h"
#include "common/log.h"
#include "worker/agent.h"

static void s_usage(FILE *out) {
    fprintf(out,
            "usage: barrage-worker --master tcp://HOST:PORT [options]\n"
            "\n"
            "Serves load-test runs for a barrage master until it says quit.\n"
            "\n"
            "  -m, --master ENDPOINT   master's ZeroMQ endpoint (required)\n"
            "  -p, --processes N|auto  worker processes on this machine (default 1; auto = one per core)\n"
            "      --id ID             worker id (default HOSTNAME-PID; with -p, ID-i)\n"
            "      --master-key FILE   the master's public key (its .pub file): talk only to\n"
            "                          that master, over CURVE (needs --key)\n"
            "      --key FILE          this worker's key pair (barrage keygen), which the\n"
            "                          master must --allow (needs --master-key; -p shares it)\n"
            "      --heartbeat MS      heartbeat interval in ms (default 1000)\n"
            "      --log-level L       error, warn, info (default) or debug\n"
            "  -v, --verbose           debug logging\n"
            "  -q, --quiet             errors only\n"
            "  -h, --help              this text\n"
            "  -V, --version           print the version\n"
            "\n"
            "Exit status: 0 ok, 2 usage error, 3 runtime error.\n");
}

static int s_parse_processes(const char *text, long *out) {
    if (strcmp(text, "auto") == 0) {
        *out = sysconf(_SC_NPROCESSORS_ONLN);
        return *out > 0 ? 0 : -1;
    }
    char *end;
    errno = 0;
    *out = strtol(text, &end, 10);
    return (errno || *end || *out < 1 || *out > 1024) ? -1 : 0;
}

/* --heartbeat: 1..60000 ms. */
static int s_parse_heartbeat(const char *text, uint32_t *out) {
    char *end;
    errno = 0;
    long ms = strtol(text, &end, 10);
    if (errno || end == text || *end || ms < 1 || ms > 60000) return -1;
    *out = (uint32_t)ms;
    return 0;
}

static int s_parse_level(const char *text, log_level_t *out) {
    static const char *const names[] = {"error", "warn", "info", "debug"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(text, names[i]) == 0) {
            *out = (log_level_t)i;
            return 0;
        }
    }
    return -1;
}

/* Reads --master-key and --key into the keys the agents use. Returns 0, or
 * -1 after printing the error (which names the file). */
static int s_load_keys(const char *master_key_path, const char *key_path, keys_z85_t master_key,
                       keys_pair_t *pair, agent_opts_t *opts) {
    if (!master_key_path && !key_path) return 0;
    if (!master_key_path || !key_path) {
        fprintf(stderr, "barrage-worker: error: --master-key and --key go together: "
                        "--master-key is the master's public key (its .pub file), --key this "
                        "worker's key pair (make one with 'barrage keygen worker.key')\n");
        return -1;
    }
    if (!keys_available()) {
        fprintf(stderr, "barrage-worker: error: this libzmq has no CURVE support (it must be "
                        "built with libsodium)\n");
        return -1;
    }
    char *err = NULL;
    if (keys_read_public(master_key_path, master_key, &err) != 0 ||
        keys_read_pair(key_path, pair, &err) != 0) {
        fprintf(stderr, "barrage-worker: error: %s\n", err);
        free(err);
        return -1;
    }
    opts->master_key = master_key;
    opts->public_key = pair->public_z85;
    opts->secret_key = pair->secret_z85;
    return 0;
}

/* sigaction(sig, handler), its failure logged. Returns 0 or -1. */
static int s_handle(int sig, const char *name, void (*handler)(int)) {
    struct sigaction sa = {.sa_handler = handler};
    if (sigemptyset(&sa.sa_mask) != 0 || sigaction(sig, &sa, NULL) != 0) {
        log_error("sigaction(%s): %s (%s:%d)", name, strerror(errno), __FILE__, __LINE__);
        return -1;
    }
    return 0;
}

static int s_run_one(const agent_opts_t *opts) {
    /* A peer closing a connection must not kill the worker (see STYLE.md). */
    if (s_handle(SIGPIPE, "SIGPIPE", SIG_IGN) != 0) return AGENT_EXIT_RUNTIME;
    CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK) {
        log_error("curl_global_init: %s (%s:%d)", curl_easy_strerror(rc), __FILE__, __LINE__);
        return AGENT_EXIT_RUNTIME;
    }
    int code = agent_run(opts);
    curl_global_cleanup();
    return code;
}

/* The children of s_run_many, for the signal handler that forwards to them. */
static pid_t *s_children;
static long s_n_children;

static void s_forward(int sig) {
    int saved = errno;
    for (long i = 0; i < s_n_children; i++) {
        /* A signal handler can do nothing about a failed kill (ESRCH: that
         * child is already gone, which is what the signal asks for). */
        if (s_children[i] > 0) (void)kill(s_children[i], sig);
    }
    errno = saved;
}

/* Forks n agents; the children die with the parent. Returns the worst exit code. */
static int s_run_many(const agent_opts_t *opts, long n) {
    pid_t *pids = calloc((size_t)n, sizeof *pids);
    if (!pids) return AGENT_EXIT_RUNTIME;
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            log_error("fork: %s", strerror(errno));
            break;
        }
        if (pid == 0) {
            if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) {
                log_warn("prctl(PR_SET_PDEATHSIG): %s (%s:%d); this worker outlives its parent",
                         strerror(errno), __FILE__, __LINE__);
            }
            agent_opts_t mine = *opts;
            char id[256];
            if (opts->id) {
                snprintf(id, sizeof id, "%s-%ld", opts->id, i);
                mine.id = id;
            }
            free(pids);
            _exit(s_run_one(&mine));
        }
        pids[i] = pid;
    }
    /* Forward SIGINT/SIGTERM to the children, which stop their runs cleanly. */
    s_children = pids;
    s_n_children = n;
    /* Without forwarding, a signal still ends the children (they die with the parent). */
    s_handle(SIGINT, "SIGINT", s_forward);
    s_handle(SIGTERM, "SIGTERM", s_forward);
    int worst = 0;
    for (long i = 0; i < n; i++) {
        int status;
        pid_t got;
        if (pids[i] <= 0) continue;
        while ((got = waitpid(pids[i], &status, 0)) < 0 && errno == EINTR) {
        }
        if (got == pids[i]) {
            int code = WIFEXITED(status) ? WEXITSTATUS(status) : AGENT_EXIT_RUNTIME;
            if (code > worst) worst = code;
        }
    }
    s_handle(SIGINT, "SIGINT", SIG_DFL);
    s_handle(SIGTERM, "SIGTERM", SIG_DFL);
    s_n_children = 0;
    s_children = NULL;
    free(pids);
    return worst;
}

/* --version: the version, libcurl's, and which allocator serves malloc — mimalloc only when
 * a block malloc just returned is in its heap, i.e. the override took effect. */
static void s_version(void) {
    const char *allocator = "the C library's";
#ifdef BARRAGE_WITH_MIMALLOC
    char buf[32];
    void *p = malloc(64);
    if (p && mi_is_in_heap_region(p)) {
        int v = mi_version();
        snprintf(buf, sizeof buf, "mimalloc %d.%d.%d", v / 100, v / 10 % 10, v % 10);
        allocator = buf;
    }
    free(p);
#endif
    printf("barrage-worker %s (libcurl %s, allocator %s)\n", BARRAGE_VERSION,
           curl_version_info(CURLVERSION_NOW)->version, allocator);
}

int main(int argc, char **argv) {
    static const struct option longopts[] = {
        {"master", required_argument, 0, 'm'}, {"processes", required_argument, 0, 'p'},
        {"id", required_argument, 0, 'i'},     {"heartbeat", required_argument, 0, 'b'},
        {"verbose", no_argument, 0, 'v'},      {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},         {"version", no_argument, 0, 'V'},
        {"log-level", required_argument, 0, 'L'}, {"master-key", required_argument, 0, 'M'},
        {"key", required_argument, 0, 'k'},       {0, 0, 0, 0}};
    agent_opts_t opts = {0};
    const char *master_key_path = NULL, *key_path = NULL;
    long processes = 1;
    log_level_t level = LOG_LEVEL_INFO;
    int c;
    while ((c = getopt_long(argc, argv, "m:p:vqhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'm': opts.master = optarg; break;
        case 'i': opts.id = optarg; break;
        case 'M': master_key_path = optarg; break;
        case 'k': key_path = optarg; break;
        case 'b':
            if (s_parse_heartbeat(optarg, &opts.heartbeat_ms) != 0) {
                fprintf(stderr, "barrage-worker: error: --heartbeat wants milliseconds, 1..60000 "
                                "(got '%s')\n", optarg);
                return AGENT_EXIT_USAGE;
            }
            break;
        case 'v': level = LOG_LEVEL_DEBUG; break;
        case 'L':
            if (s_parse_level(optarg, &level) != 0) {
                fprintf(stderr, "barrage-worker: error: --log-level wants error, warn, info or "
                                "debug (got '%s')\n", optarg);
                return AGENT_EXIT_USAGE;
            }
            break;
        case 'q': level = LOG_LEVEL_ERROR; break;
        case 'h': s_usage(stdout); return AGENT_EXIT_OK;
        case 'V': s_version(); return AGENT_EXIT_OK;
        case 'p':
            if (s_parse_processes(optarg, &processes) != 0) {
                fprintf(stderr, "barrage-worker: error: --processes wants a number 1..1024 or "
                                "'auto' (got '%s')\n", optarg);
                return AGENT_EXIT_USAGE;
            }
            break;
        default: s_usage(stderr); return AGENT_EXIT_USAGE;
        }
    }
    if (!opts.master || optind < argc) {
        fprintf(stderr, "barrage-worker: error: %s\n",
                optind < argc ? "unexpected argument" : "--master ENDPOINT is required");
        s_usage(stderr);
        return AGENT_EXIT_USAGE;
    }
    keys_z85_t master_key;
    keys_pair_t pair;
    if (s_load_keys(master_key_path, key_path, master_key, &pair, &opts) != 0) {
        return AGENT_EXIT_USAGE;
    }
    log_init("worker", level);
    int rc = processes == 1 ? s_run_one(&opts) : s_run_many(&opts, processes);
    explicit_bzero(&pair, sizeof pair);
    return rc;
}
