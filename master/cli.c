/* cli: argument parsing for the barrage command. */
#include "master/cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/units.h"
#include "scenarios/scenario.h"

void cli_usage(FILE *out) {
    fprintf(out,
            "usage: barrage COMMAND [options]\n"
            "\n"
            "Commands:\n"
            "  run SCENARIO        master plus local worker processes on loopback\n"
            "  master SCENARIO     wait for --expect-workers remote workers, then run\n"
            "  validate SCENARIO   check a scenario file, report every error, print the plan\n"
            "  report RESULT.json  regenerate --html/--csv/--junit outputs from a --json result\n"
            "  compare BEFORE.json AFTER.json   before/after table per name with verdicts\n"
            "  keygen PATH         write a CURVE key pair to PATH (mode 0600) and its public key\n"
            "                      to PATH.pub; prints the public key (--force replaces them)\n"
            "  import-locust LOCUSTFILE.py   convert a Locust file into a scenario (stdout, or\n"
            "                      -o FILE); -u -r -t -H become its load: and host:; what cannot\n"
            "                      be converted is listed and nothing is written (exit 2)\n"
            "                      unless --partial (needs python3)\n"
            "\n"
            "Load options (override the scenario's load:):\n"
            "  -u, --users N           concurrent virtual users\n"
            "  -r, --spawn-rate R      users started per second (default: all at once)\n"
            "  -t, --run-time D        run time: 500ms, 10s, 2m, 1h\n"
            "  -H, --host URL          target host, e.g. http://127.0.0.1:8000\n"
            "      --tls-no-verify     do not verify the target's TLS certificate (this run;\n"
            "                          overrides the scenario's tls: verify)\n"
            "      --rate R            open model: start R iterations per second, whatever\n"
            "                          the latency (instead of -u)\n"
            "      --max-users N       open model: cap on iterations in flight (default 2 x rate)\n"
            "      --stages LIST       ramp, e.g. 30s:100,1m:500: to each target linearly over\n"
            "                          its duration (iterations/s with a rate, else users)\n"
            "\n"
            "run:\n"
            "  -w, --workers N         local worker processes (default: one per core;\n"
            "                          at most 1024)\n"
            "master:\n"
            "      --bind ENDPOINT     where workers connect (default tcp://127.0.0.1:5557)\n"
            "      --expect-workers N  workers to wait for before starting (default 1)\n"
            "      --wait-workers D    how long to wait for them (default 2m)\n"
            "      --key FILE          the master's key pair (barrage keygen): workers must\n"
            "                          authenticate with CURVE (run and master)\n"
            "      --allow PATH        a worker's .pub file, or a directory of .pub files, whose\n"
            "                          keys may join (repeatable; required with --key)\n"
            "      --insecure          allow a --bind beyond loopback without keys: any worker\n"
            "                          that can connect joins, unauthenticated and unencrypted\n"
            "                          (and a --web address beyond loopback without --web-auth)\n"
            "\n"
            "Web UI (run, master):\n"
            "      --web [ADDR]        serve the web UI on ADDR (default 127.0.0.1:8089); runs\n"
            "                          start from the page; the master stays up between runs\n"
            "      --autostart         with --web: start the first run at once\n"
            "      --autoquit N        with --web: quit N seconds after a run ended\n"
            "      --web-auth USER:PASSWORD  HTTP Basic auth (needed beyond loopback)\n"
            "      --results-dir DIR   with --web: keep each finished run as DIR/run-ID-TIME.json\n"
            "                          and list the runs already there (GET /api/runs)\n"
            "\n");
    fprintf(out,
            "Outputs (run, master, report):\n"
            "      --csv PREFIX        PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv\n"
            "                          (Locust's) and PREFIX_phases.csv (where the time went)\n"
            "      --json FILE         the complete result (input of report and compare)\n"
            "      --html FILE         a self-contained page with charts\n"
            "      --junit FILE        thresholds as JUnit XML\n"
            "      --threshold EXPR    e.g. 'p95<300ms', 'failure_rate<1%%', '/login:p99<1s'\n"
            "                          (repeatable; adds to the scenario's thresholds;\n"
            "                          run, master and validate: report keeps the run's)\n"
            "      --abort-if-unreachable  stop the run (exit 3) when, in its first seconds,\n"
            "                          every request of a name failed to connect\n"
            "import-locust:\n"
            "  -o, --output FILE       write the scenario to FILE instead of stdout\n"
            "      --partial           write what converts, with a comment at each gap (exit 0)\n"
            "compare:\n"
            "      --format text|md    md: a markdown table for a write-up\n"
            "      --fail-on-regression N%%  exit 1 if a p95 or failure rate got worse by more\n"
            "\n"
            "  -v, --verbose / -q, --quiet   more / less on stderr\n"
            "  -h, --help / -V, --version\n"
            "\n"
            "Workers: barrage-worker --master tcp://HOST:5557 [--processes N|auto]\n"
            "                        [--master-key MASTER.pub --key WORKER.key]\n"
            "\n"
            "Exit status: 0 run completed, 1 thresholds failed, 2 usage or scenario error,\n"
            "3 runtime error (cannot bind, workers missing, all workers lost).\n"
            "import-locust: 0 converted, 2 not converted (each gap listed as\n"
            "FILE:LINE:COL: not converted: ...) or python3 or the converter missing.\n");
}

__attribute__((format(printf, 1, 2))) static int s_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "barrage: error: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'barrage --help'.\n");
    va_end(ap);
    return -1;
}

static int s_long(const char *text, long min, long *out) {
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < min) return -1;
    *out = v;
    return 0;
}

static int s_command(const char *word, cli_opts_t *o) {
    static const struct {
        const char *name;
        cli_command_t cmd;
    } cmds[] = {{"run", CLI_RUN},         {"master", CLI_MASTER},   {"validate", CLI_VALIDATE},
                {"report", CLI_REPORT},   {"compare", CLI_COMPARE}, {"help", CLI_HELP},
                {"version", CLI_VERSION}, {"keygen", CLI_KEYGEN},
                {"import-locust", CLI_IMPORT_LOCUST}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(word, cmds[i].name) == 0) {
            o->command = cmds[i].cmd;
            return 0;
        }
    }
    return s_error("unknown command '%s' (expected run, master, validate, report, compare, "
                   "keygen or import-locust)",
                   word);
}

/* Long-only load options (the open model and ramps). */
enum { S_OPT_RATE = 0x100, S_OPT_MAX_USERS, S_OPT_STAGES, S_OPT_WEB, S_OPT_WEB_AUTH,
       S_OPT_AUTOSTART, S_OPT_RESULTS_DIR, S_OPT_AUTOQUIT, S_OPT_ABORT_UNREACHABLE,
       S_OPT_TLS_NO_VERIFY, S_OPT_PARTIAL };

/* The web UI's options. */
static int s_web_option(int c, const char *arg, cli_opts_t *o) {
    switch (c) {
    case S_OPT_WEB:
        o->web_addr = arg && *arg ? arg : CLI_WEB_DEFAULT_ADDR;
        return 0;
    case S_OPT_WEB_AUTH:
        if (!strchr(arg, ':') || arg[0] == ':')
            return s_error("--web-auth wants USER:PASSWORD (got '%s')", arg);
        o->web_auth = arg;
        return 0;
    case S_OPT_AUTOSTART:
        o->autostart = true;
        return 0;
    case S_OPT_RESULTS_DIR:
        if (!*arg) return s_error("%s", "--results-dir wants a directory");
        o->results_dir = arg;
        return 0;
    default: /* S_OPT_AUTOQUIT */
        return s_long(arg, 0, &o->autoquit_s) == 0
                   ? 0
                   : s_error("--autoquit wants a number of seconds >= 0 (got '%s')", arg);
    }
}

/* An operand right after a bare --web is its address when it looks like
 * one: HOST:PORT with a numeric port ("127.0.0.1:8089", "[::1]:0"). */
static bool s_looks_like_addr(const char *s) {
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s || !colon[1]) return false;
    for (const char *p = colon + 1; *p; p++)
        if (*p < '0' || *p > '9') return false;
    return true;
}

/* -H is checked as the scenario's host: is (scenarios/scenario.c): a scheme
 * libcurl is asked for, then an address. */
static bool s_host_ok(const char *url) {
    const char *rest = !strncmp(url, "http://", 7)    ? url + 7
                       : !strncmp(url, "https://", 8) ? url + 8
                                                      : NULL;
    return rest && *rest && *rest != '/';
}

static int s_load_option(int c, const char *arg, cli_opts_t *o) {
    char *end, err[200];
    scenario_stage_t *stages = NULL;
    size_t n = 0;
    switch (c) {
    case S_OPT_RATE:
        o->rate = strtod(arg, &end);
        return (*end || end == arg || !(o->rate > 0) || !isfinite(o->rate))
                   ? s_error("--rate wants a number > 0 (got '%s')", arg)
                   : 0;
    case S_OPT_MAX_USERS:
        return s_long(arg, 1, &o->max_users) == 0 && o->max_users <= (long)UINT32_MAX
                   ? 0
                   : s_error("--max-users wants an integer >= 1 (got '%s')", arg);
    default: /* S_OPT_STAGES */
        if (scenario_stages_parse(arg, &stages, &n, err, sizeof err) != 0)
            return s_error("--stages '%s': %s", arg, err);
        free(stages);
        o->stages = arg;
        return 0;
    }
}

static int s_option(int c, const char *arg, cli_opts_t *o) {
    char *end;
    if (c >= S_OPT_RATE && c <= S_OPT_STAGES) return s_load_option(c, arg, o);
    if (c == S_OPT_ABORT_UNREACHABLE) {
        o->abort_if_unreachable = true;
        return 0;
    }
    if (c >= S_OPT_WEB && c <= S_OPT_AUTOQUIT) return s_web_option(c, arg, o);
    switch (c) {
    case 'u':
        return s_long(arg, 1, &o->users) == 0 && o->users <= (long)UINT32_MAX
                   ? 0
                   : s_error("-u/--users wants an integer from 1 to %lu (got '%s')",
                             (unsigned long)UINT32_MAX, arg);
    case 'r':
        o->spawn_rate = strtod(arg, &end);
        return (*end || end == arg || !(o->spawn_rate > 0) || !isfinite(o->spawn_rate))
                   ? s_error("-r/--spawn-rate wants a number > 0 (got '%s')", arg)
                   : 0;
    case 't':
        return (units_parse_duration_ms(arg, &o->duration_ms) == 0 && o->duration_ms > 0)
                   ? 0
                   : s_error("-t/--run-time wants a duration like 30s, 2m, 1h (got '%s')", arg);
    case 'w':
        return s_long(arg, 1, &o->workers) == 0 && o->workers <= CLI_MAX_LOCAL_WORKERS
                   ? 0
                   : s_error("--workers wants an integer from 1 to %d (got '%s')",
                             CLI_MAX_LOCAL_WORKERS, arg);
    case 'e':
        return s_long(arg, 1, &o->expect_workers) == 0
                   ? 0
                   : s_error("--expect-workers wants an integer >= 1 (got '%s')", arg);
    case 'W':
        return units_parse_duration_ms(arg, &o->wait_workers_ms) == 0
                   ? 0
                   : s_error("--wait-workers wants a duration (got '%s')", arg);
    case 'H':
        if (!s_host_ok(arg))
            return s_error("-H/--host wants a URL starting with http:// or https://, e.g. "
                           "http://127.0.0.1:8000 (got '%s')", arg);
        o->host = arg;
        return 0;
    case 'C': o->csv_prefix = arg; return 0;
    case 'J': o->json_path = arg; return 0;
    case 'M': o->html_path = arg; return 0;
    case 'X': o->junit_path = arg; return 0;
    case 'T':
        if (o->n_thresholds == CLI_MAX_THRESHOLDS) return s_error("%s", "too many --threshold");
        o->thresholds[o->n_thresholds++] = arg;
        return 0;
    case 'F':
        if (strcmp(arg, "md") != 0 && strcmp(arg, "text") != 0) {
            return s_error("--format wants text or md (got '%s')", arg);
        }
        o->markdown = strcmp(arg, "md") == 0;
        return 0;
    case 'R':
        o->fail_on_regression_pct = strtod(arg, &end);
        if (*end == '%') end++;
        return (*end || end == arg || o->fail_on_regression_pct < 0)
                   ? s_error("--fail-on-regression wants a percentage like 10%% (got '%s')", arg)
                   : 0;
    case 'b': o->bind = arg; return 0;
    case 'k': o->key_path = arg; return 0;
    case 'a':
        if (o->n_allow == CLI_MAX_ALLOW) return s_error("%s", "too many --allow (use a directory)");
        o->allow[o->n_allow++] = arg;
        return 0;
    case 'I': o->insecure = true; return 0;
    case S_OPT_TLS_NO_VERIFY: o->tls_no_verify = true; return 0;
    case 'f': o->force = true; return 0;
    case 'o': o->output = arg; return 0;
    case S_OPT_PARTIAL: o->partial = true; return 0;
    case 'v': o->verbosity = 1; return 0;
    case 'q': o->verbosity = -1; return 0;
    case 'h': o->command = CLI_HELP; return 0;
    case 'V': o->command = CLI_VERSION; return 0;
    default: return s_error("%s", "unknown option");
    }
}

bool cli_endpoint_is_loopback(const char *endpoint) {
    if (strncmp(endpoint, "ipc://", 6) == 0 || strncmp(endpoint, "inproc://", 9) == 0) return true;
    if (strncmp(endpoint, "tcp://", 6) != 0) return false;
    const char *host = endpoint + 6, *colon = strrchr(host, ':');
    char buf[INET6_ADDRSTRLEN + 2];
    size_t len = colon ? (size_t)(colon - host) : 0;
    if (len == 0 || len >= sizeof buf) return false;
    memcpy(buf, host, len);
    buf[len] = '\0';
    char *h = buf;
    if (h[0] == '[') {
        if (len < 3 || h[len - 1] != ']') return false;
        h[len - 1] = '\0';
        h++;
    }
    struct in_addr a4;
    struct in6_addr a6;
    if (strcasecmp(h, "localhost") == 0) return true;
    if (inet_pton(AF_INET, h, &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, h, &a6) != 1) return false; /* names, interfaces, '*' */
    return IN6_IS_ADDR_LOOPBACK(&a6) || (IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127);
}

/* True when endpoint names one of ZeroMQ's transports the master binds. */
static bool s_is_zmq_endpoint(const char *endpoint) {
    return strncmp(endpoint, "tcp://", 6) == 0 || strncmp(endpoint, "ipc://", 6) == 0 ||
           strncmp(endpoint, "inproc://", 9) == 0;
}

/* The master's keys: all or nothing, and none beyond loopback only when asked. */
static int s_check_security(const cli_opts_t *o) {
    if (o->command != CLI_RUN && o->command != CLI_MASTER) return 0;
    bool web_flags = o->autostart || o->autoquit_s >= 0 || o->web_auth || o->results_dir;
    if (web_flags && !o->web_addr) {
        return s_error("%s",
                       "--autostart, --autoquit, --web-auth and --results-dir go with --web");
    }
    if (o->key_path && o->insecure) {
        return s_error("%s", "--key turns authentication on and --insecure turns it off: "
                             "pass only one of them");
    }
    if (o->key_path && !o->n_allow) {
        return s_error("%s", "--key needs --allow PATH: a master with keys lets in only the "
                             "workers whose public keys it is given (a worker's .pub file, or "
                             "a directory of them)");
    }
    if (o->n_allow && !o->key_path) {
        return s_error("%s", "--allow needs --key FILE, the master's key pair (make one with "
                             "'barrage keygen master.key')");
    }
    /* Before the loopback rule: "127.0.0.1:5557" is a typo, not another machine. */
    if (o->command == CLI_MASTER && !s_is_zmq_endpoint(o->bind)) {
        return s_error("--bind wants a ZeroMQ endpoint such as tcp://127.0.0.1:5557 or "
                       "tcp://0.0.0.0:5557 (got '%s')",
                       o->bind);
    }
    if (o->command == CLI_MASTER && !o->key_path && !o->insecure &&
        !cli_endpoint_is_loopback(o->bind)) {
        return s_error("--bind %s lets other machines connect, so the master needs keys: "
                       "'barrage keygen master.key' and one 'barrage keygen' per worker, then "
                       "--key master.key --allow WORKER.pub here and --master-key master.key.pub "
                       "--key WORKER.key on each worker; or pass --insecure to let any worker "
                       "in without authentication",
                       o->bind);
    }
    return 0;
}

int cli_parse(int argc, char **argv, cli_opts_t *o) {
    static const struct option longopts[] = {
        {"users", required_argument, 0, 'u'},     {"spawn-rate", required_argument, 0, 'r'},
        {"run-time", required_argument, 0, 't'},  {"host", required_argument, 0, 'H'},
        {"workers", required_argument, 0, 'w'},   {"expect-workers", required_argument, 0, 'e'},
        {"bind", required_argument, 0, 'b'},      {"wait-workers", required_argument, 0, 'W'},
        {"csv", required_argument, 0, 'C'},       {"json", required_argument, 0, 'J'},
        {"html", required_argument, 0, 'M'},      {"junit", required_argument, 0, 'X'},
        {"threshold", required_argument, 0, 'T'}, {"format", required_argument, 0, 'F'},
        {"fail-on-regression", required_argument, 0, 'R'},
        {"rate", required_argument, 0, S_OPT_RATE},
        {"max-users", required_argument, 0, S_OPT_MAX_USERS},
        {"stages", required_argument, 0, S_OPT_STAGES},
        {"web", optional_argument, 0, S_OPT_WEB},
        {"web-auth", required_argument, 0, S_OPT_WEB_AUTH},
        {"autostart", no_argument, 0, S_OPT_AUTOSTART},
        {"autoquit", required_argument, 0, S_OPT_AUTOQUIT},
        {"results-dir", required_argument, 0, S_OPT_RESULTS_DIR},
        {"abort-if-unreachable", no_argument, 0, S_OPT_ABORT_UNREACHABLE},
        {"key", required_argument, 0, 'k'},       {"allow", required_argument, 0, 'a'},
        {"insecure", no_argument, 0, 'I'},        {"force", no_argument, 0, 'f'},
        {"tls-no-verify", no_argument, 0, S_OPT_TLS_NO_VERIFY},
        {"output", required_argument, 0, 'o'},    {"partial", no_argument, 0, S_OPT_PARTIAL},
        {"verbose", no_argument, 0, 'v'},         {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},            {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0}};
    *o = (cli_opts_t){.command = CLI_HELP, .users = -1, .spawn_rate = -1, .workers = -1,
                      .rate = -1, .max_users = -1,
                      .expect_workers = 1, .bind = "tcp://127.0.0.1:5557",
                      .wait_workers_ms = 120000, .fail_on_regression_pct = -1,
                      .autoquit_s = -1};
    bool have_command = false;
    opterr = 0;
    optind = 0; /* glibc: 0 fully re-initializes getopt, so cli_parse may be called again */
    int c;
    bool bare_web = false; /* the last option was --web without =ADDR */
    /* Leading '-' keeps options and operands in order, so flags may come anywhere. */
    while ((c = getopt_long(argc, argv, "-u:r:t:H:w:o:vqhV", longopts, NULL)) != -1) {
        bool after_web = bare_web;
        bare_web = c == S_OPT_WEB && !optarg;
        if (c == 1 && after_web && s_looks_like_addr(optarg)) {
            o->web_addr = optarg;
        } else if (c == 1 && !have_command) {
            if (s_command(optarg, o) != 0) return -1;
            have_command = true;
        } else if (c == 1 && !o->scenario) {
            o->scenario = optarg;
        } else if (c == 1 && o->command == CLI_COMPARE && !o->second) {
            o->second = optarg;
        } else if (c == 1) {
            return s_error("unexpected argument '%s'", optarg);
        } else if (c == '?' || c == ':') {
            return s_error("unknown option or missing value near '%s'", argv[optind - 1]);
        } else if (s_option(c, optarg, o) != 0) {
            return -1;
        }
    }
    bool needs_scenario = o->command == CLI_RUN || o->command == CLI_MASTER ||
                          o->command == CLI_VALIDATE;
    if (needs_scenario && !o->scenario) return s_error("%s", "a SCENARIO file is required");
    if (o->command == CLI_REPORT && !o->scenario) {
        return s_error("%s", "report needs a RESULT.json (written by --json)");
    }
    if (o->users > 0 && o->rate > 0) {
        return s_error("%s", "-u/--users and --rate exclude each other (users is the closed "
                             "model, rate the open one)");
    }
    if (o->command == CLI_COMPARE && !o->second) {
        return s_error("%s", "compare needs two result files: BEFORE.json AFTER.json");
    }
    if (o->command == CLI_KEYGEN && !o->scenario) {
        return s_error("%s", "keygen needs a PATH for the key pair (its public key goes to "
                             "PATH.pub)");
    }
    if (o->command == CLI_IMPORT_LOCUST && !o->scenario) {
        return s_error("%s", "import-locust needs a LOCUSTFILE.py");
    }
    if ((o->output || o->partial) && o->command != CLI_IMPORT_LOCUST) {
        return s_error("%s", "-o/--output and --partial go with import-locust");
    }
    if (o->web_addr && o->command != CLI_RUN && o->command != CLI_MASTER) {
        return s_error("%s", "--web goes with run or master");
    }
    if (o->n_thresholds && o->command != CLI_RUN && o->command != CLI_MASTER &&
        o->command != CLI_VALIDATE) {
        return s_error("%s", "--threshold goes with run, master or validate (report writes the "
                             "verdicts the run judged, from its JSON result)");
    }
    if (o->tls_no_verify && o->command != CLI_RUN && o->command != CLI_MASTER) {
        return s_error("%s", "--tls-no-verify goes with run or master");
    }
    return s_check_security(o);
}

int cli_import_script_paths(const char *exe, char *first, char *second, size_t bytes) {
    const char *slash = strrchr(exe, '/');
    if (!slash) return -1;
    int dir = (int)(slash - exe);
    int a = snprintf(first, bytes, "%.*s/%s", dir, exe, CLI_IMPORT_SCRIPT);
    int b = snprintf(second, bytes, "%.*s/../libexec/barrage/%s", dir, exe, CLI_IMPORT_SCRIPT);
    return a < 0 || b < 0 || (size_t)a >= bytes || (size_t)b >= bytes ? -1 : 0;
}

/* A duration in its largest whole unit, as Locust's --run-time and barrage both read it. */
static void s_format_run_time(uint64_t ms, char *out, size_t bytes) {
    static const struct {
        uint64_t ms;
        const char *unit;
    } units[] = {{3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (ms % units[i].ms == 0) {
            snprintf(out, bytes, "%llu%s", (unsigned long long)(ms / units[i].ms), units[i].unit);
            return;
        }
    }
}

size_t cli_import_argv(const cli_opts_t *o, const char *script, cli_import_store_t *store,
                       const char *argv[CLI_IMPORT_MAX_ARGS]) {
    size_t n = 0;
    argv[n++] = "python3";
    argv[n++] = script;
    argv[n++] = o->scenario;
    if (o->output) {
        argv[n++] = "-o";
        argv[n++] = o->output;
    }
    if (o->partial) argv[n++] = "--partial";
    if (o->users > 0) {
        snprintf(store->users, sizeof store->users, "%ld", o->users);
        argv[n++] = "-u";
        argv[n++] = store->users;
    }
    if (o->spawn_rate > 0) {
        snprintf(store->spawn_rate, sizeof store->spawn_rate, "%.15g", o->spawn_rate);
        argv[n++] = "-r";
        argv[n++] = store->spawn_rate;
    }
    if (o->duration_ms > 0) {
        s_format_run_time(o->duration_ms, store->run_time, sizeof store->run_time);
        argv[n++] = "-t";
        argv[n++] = store->run_time;
    }
    if (o->host) {
        argv[n++] = "-H";
        argv[n++] = o->host;
    }
    argv[n] = NULL;
    return n;
}
