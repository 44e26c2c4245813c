/* barrage: the master command line — run, master, validate. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "master/cli.h"
#include "master/conductor.h"
#include "master/local.h"
#include "master/summary.h"
#include "scenarios/scenario.h"

/* Reads a whole file; NULL with errno on failure. Caller frees. */
static char *s_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) buf = xrealloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

static scenario_t *s_load(const char *path) {
    scenario_errors_t errs = {0};
    scenario_t *sc = scenario_load_file(path, &errs);
    for (size_t i = 0; i < errs.n; i++) fprintf(stderr, "%s\n", errs.lines[i]);
    if (errs.dropped) fprintf(stderr, "%s: note: %zu more errors not shown\n", path, errs.dropped);
    scenario_errors_fini(&errs);
    return sc;
}

static int s_validate(const cli_opts_t *o) {
    scenario_t *sc = s_load(o->scenario);
    if (!sc) return BARRAGE_EXIT_USAGE;
    size_t tasks = 0;
    for (size_t i = 0; i < sc->n_classes; i++) tasks += sc->classes[i].n_tasks;
    printf("%s: ok: scenario '%s', %zu user classes, %zu tasks\n", o->scenario, sc->name,
           sc->n_classes, tasks);
    scenario_destroy(&sc);
    return BARRAGE_EXIT_OK;
}

/* Resolves CLI overrides against the scenario's load; prints what is missing. */
static int s_resolve_load(const cli_opts_t *o, const scenario_t *sc, conductor_opts_t *co) {
    if (sc->load.rate > 0) {
        fprintf(stderr, "barrage: error: %s: the open model (load.rate) is not supported by this "
                        "version; use load.users\n", o->scenario);
        return -1;
    }
    co->users = o->users > 0 ? (uint32_t)o->users : (sc->load.users ? sc->load.users : 1);
    co->spawn_rate = o->spawn_rate > 0 ? o->spawn_rate : sc->load.spawn_rate;
    co->duration_ms = o->duration_ms ? o->duration_ms : sc->load.duration_ms;
    if (!co->duration_ms) {
        fprintf(stderr, "barrage: error: %s: no run time: set load.duration in the scenario or "
                        "pass -t/--run-time\n", o->scenario);
        return -1;
    }
    co->host = o->host;
    if (!o->host && !sc->host) {
        fprintf(stderr, "barrage: error: %s: no host: set 'host' in the scenario or pass "
                        "-H/--host\n", o->scenario);
        return -1;
    }
    return 0;
}

static void s_print_workers(const registry_t *reg) {
    size_t lost = registry_count(reg, WORKER_LOST);
    printf("\nWorkers: %zu", reg->n);
    if (lost) printf(" (%zu lost)", lost);
    printf("\n");
    for (size_t i = 0; i < reg->n; i++) {
        const worker_entry_t *w = &reg->items[i];
        printf("  %-28s %-20s users %-6u reports %-5llu %s\n", w->worker_id, w->hostname,
               w->assigned, (unsigned long long)w->reports, registry_state_name(w->state));
    }
}

static int s_report(const conductor_t *c, int outcome) {
    if (outcome == CONDUCTOR_NO_WORKERS) return BARRAGE_EXIT_RUNTIME;
    summary_print_final(stdout, conductor_results(c), conductor_run_seconds(c));
    s_print_workers(conductor_registry(c));
    if (outcome == CONDUCTOR_FAILED) {
        fprintf(stderr, "barrage: error: no worker completed the run\n");
        return BARRAGE_EXIT_RUNTIME;
    }
    return BARRAGE_EXIT_OK;
}

static int s_conduct(const cli_opts_t *o, bool local) {
    scenario_t *sc = s_load(o->scenario);
    if (!sc) return BARRAGE_EXIT_USAGE;
    size_t text_len = 0;
    char *text = s_read_file(o->scenario, &text_len);
    conductor_opts_t co = {.scenario = sc, .scenario_name = o->scenario, .scenario_text = text,
                           .scenario_bytes = text_len, .report_ms = 1000, .heartbeat_ms = 1000,
                           .live_ms = 2000, .live = o->verbosity >= 0};
    int rc = BARRAGE_EXIT_USAGE;
    if (!text || s_resolve_load(o, sc, &co) != 0) goto out;
    long n = o->workers > 0 ? o->workers : sysconf(_SC_NPROCESSORS_ONLN);
    co.bind = local ? "tcp://127.0.0.1:0" : o->bind;
    co.expect_workers = local ? (uint32_t)(n > 0 ? n : 1) : (uint32_t)o->expect_workers;
    co.wait_workers_ms = local ? 15000 : o->wait_workers_ms;
    co.quit_workers = local;
    char *err = NULL;
    conductor_t *c = conductor_new(&co, &err);
    if (!c) {
        fprintf(stderr, "barrage: error: %s\n", err);
        free(err);
        rc = BARRAGE_EXIT_RUNTIME;
        goto out;
    }
    local_workers_t lw = {0};
    if (!local && o->verbosity >= 0) {
        fprintf(stderr, "barrage: master listening on %s, waiting for %u worker%s\n",
                conductor_endpoint(c), co.expect_workers, co.expect_workers == 1 ? "" : "s");
    }
    if (local) {
        char *path = local_worker_path();
        const char *flag = o->verbosity < 0 ? "error" : o->verbosity > 0 ? "debug" : "warn";
        local_spawn(&lw, co.expect_workers, path, conductor_endpoint(c), flag);
        free(path);
    }
    rc = s_report(c, conductor_run(c));
    conductor_destroy(&c);
    if (local) local_reap(&lw, 5000);
out:
    free(text);
    scenario_destroy(&sc);
    return rc;
}

int main(int argc, char **argv) {
    cli_opts_t o;
    if (cli_parse(argc, argv, &o) != 0) return BARRAGE_EXIT_USAGE;
    log_init("master", o.verbosity < 0 ? LOG_LEVEL_ERROR
                       : o.verbosity > 0 ? LOG_LEVEL_DEBUG
                                         : LOG_LEVEL_WARN);
    switch (o.command) {
    case CLI_HELP: cli_usage(stdout); return BARRAGE_EXIT_OK;
    case CLI_VERSION: printf("barrage %s\n", BARRAGE_VERSION); return BARRAGE_EXIT_OK;
    case CLI_VALIDATE: return s_validate(&o);
    case CLI_RUN: return s_conduct(&o, true);
    case CLI_MASTER: return s_conduct(&o, false);
    }
    return BARRAGE_EXIT_USAGE;
}
