/* cli: the barrage command line — subcommands, Locust-style flags, exit codes. */
#ifndef BARRAGE_MASTER_CLI_H
#define BARRAGE_MASTER_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes of the barrage command (documented in the README and --help). */
enum {
    BARRAGE_EXIT_OK = 0,         /* the run completed (failed requests do not change this) */
    BARRAGE_EXIT_THRESHOLDS = 1, /* thresholds failed */
    BARRAGE_EXIT_USAGE = 2,      /* bad command line or scenario errors */
    BARRAGE_EXIT_RUNTIME = 3,    /* could not run: bind, workers missing, every worker lost */
};

typedef enum {
    CLI_HELP,
    CLI_VERSION,
    CLI_RUN,
    CLI_MASTER,
    CLI_VALIDATE,
    CLI_REPORT,  /* report RESULT.json --html F --csv P --junit F */
    CLI_COMPARE, /* compare BEFORE.json AFTER.json */
    CLI_KEYGEN,  /* keygen PATH [--force] */
    CLI_IMPORT_LOCUST, /* import-locust LOCUSTFILE.py [-o OUT] [--partial] [-u -r -t -H] */
} cli_command_t;

#define CLI_MAX_THRESHOLDS 64
#define CLI_MAX_ALLOW 64
/* --workers: local worker processes are forked at once; a typo must not fork thousands. */
#define CLI_MAX_LOCAL_WORKERS 1024

typedef struct {
    cli_command_t command;
    const char *scenario;       /* path (report: the result JSON; compare: BEFORE; keygen: the key file) */
    const char *second;         /* compare: AFTER */
    const char *host;           /* -H */
    bool tls_no_verify;         /* --tls-no-verify (run, master): no certificate checks */
    long users;                 /* -u; -1 = from the scenario */
    double spawn_rate;          /* -r; -1 = from the scenario */
    uint64_t duration_ms;       /* -t; 0 = from the scenario */
    double rate;                /* --rate (open model); -1 = from the scenario */
    long max_users;             /* --max-users (open model); -1 = from the scenario */
    const char *stages;         /* --stages "30s:100,1m:500"; NULL = from the scenario */
    long workers;               /* --workers (run); -1 = one per core */
    long expect_workers;        /* --expect-workers (master) */
    const char *bind;           /* --bind (master) */
    uint64_t wait_workers_ms;   /* --wait-workers */
    int verbosity;              /* -1 quiet, 0 normal, 1 verbose */
    const char *csv_prefix;     /* --csv PREFIX */
    const char *json_path;      /* --json FILE */
    const char *html_path;      /* --html FILE */
    const char *junit_path;     /* --junit FILE */
    const char *thresholds[CLI_MAX_THRESHOLDS]; /* --threshold EXPR, repeatable */
    size_t n_thresholds;
    bool markdown;              /* compare --format md */
    double fail_on_regression_pct; /* compare --fail-on-regression N%; < 0 = off */
    const char *key_path;       /* --key FILE: the master's key pair (run, master) */
    const char *allow[CLI_MAX_ALLOW]; /* --allow PATH, repeatable: .pub files or directories */
    size_t n_allow;
    bool insecure;              /* --insecure: bind beyond loopback without keys */
    bool force;                 /* keygen --force: replace existing key files */
    const char *web_addr;       /* --web [ADDR] (run, master): serve the web UI; NULL = off */
    const char *web_auth;       /* --web-auth USER:PASSWORD */
    bool autostart;             /* --autostart: with --web, start the first run at once */
    const char *results_dir;    /* --results-dir DIR: with --web, keep each run there as JSON */
    bool abort_if_unreachable;  /* --abort-if-unreachable (run, master) */
    long autoquit_s;            /* --autoquit SECONDS: with --web, quit that long after a run
                                   ended; -1 = never */
    const char *output;         /* import-locust -o FILE; NULL = stdout */
    bool partial;               /* import-locust --partial: write what converts */
} cli_opts_t;

/* The web UI's address when --web has none. */
#define CLI_WEB_DEFAULT_ADDR "127.0.0.1:8089"

/* Parses argv into *o. On a usage error prints "barrage: error: ..." to stderr
 * and returns -1. --help/--version set o->command accordingly. */
int cli_parse(int argc, char **argv, cli_opts_t *o);

/* True if endpoint is reachable only from this machine: tcp:// on
 * 127.0.0.0/8, ::1 or localhost, and any ipc:// or inproc://. */
bool cli_endpoint_is_loopback(const char *endpoint);

/* The converter's file name, looked for next to the barrage binary, then in
 * ../libexec/barrage/ from it. */
#define CLI_IMPORT_SCRIPT "import_locust.py"
#define CLI_IMPORT_MAX_ARGS 20

/* Where import-locust looks for the converter, given the barrage binary's path
 * (from /proc/self/exe): first its directory, then DIR/../libexec/barrage/.
 * Writes both into first and second (each bytes long). Returns 0, or -1 if
 * exe has no directory part or a path does not fit. */
int cli_import_script_paths(const char *exe, char *first, char *second, size_t bytes);

/* Numbers of an import-locust command line, formatted for the converter. */
typedef struct {
    char users[24];
    char spawn_rate[40];
    char run_time[32];
} cli_import_store_t;

/* The converter's command line for o (command CLI_IMPORT_LOCUST):
 * "python3 SCRIPT LOCUSTFILE [-o OUT] [--partial] [-u N] [-r R] [-t T] [-H HOST]",
 * NULL-terminated in argv. Numbers are formatted into store, which must live as
 * long as argv; -t is written in the largest whole unit (90s, 2m, 1h, 1500ms).
 * Returns the number of arguments (without the NULL). */
size_t cli_import_argv(const cli_opts_t *o, const char *script, cli_import_store_t *store,
                       const char *argv[CLI_IMPORT_MAX_ARGS]);

/* Prints the help text (general, or for o->command when one was given). */
void cli_usage(FILE *out);

#endif
