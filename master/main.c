/* barrage: the master command line — run, master, validate. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "master/cli.h"
#include "master/conductor.h"
#include "report/compare.h"
#include "master/describe.h"
#include "master/loadplan.h"
#include "master/local.h"
#include "report/outputs.h"
#include "report/report.h"
#include "report/report_json.h"
#include "master/secure.h"
#include "report/thresholds.h"
#include "report/summary.h"
#include "scenarios/scenario.h"

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
    printf("%s: ok: scenario '%s', %zu user classes, %zu tasks\n\n", o->scenario, sc->name,
           sc->n_classes, tasks);
    describe_scenario(stdout, sc, o->users > 0 ? (uint32_t)o->users : 0);
    scenario_destroy(&sc);
    return BARRAGE_EXIT_OK;
}

/* Resolves CLI overrides against the scenario's load (see loadplan.h); prints what is wrong. */
static int s_resolve_load(const cli_opts_t *o, const scenario_t *sc, conductor_opts_t *co,
                          loadplan_t *lp) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    long n = o->command == CLI_RUN ? (o->workers > 0 ? o->workers : cpus) : o->expect_workers;
    if (loadplan_resolve(o, sc, (uint32_t)(n > 0 ? n : 1), lp) != 0) return -1;
    co->users = lp->open ? 0 : lp->users;
    co->spawn_rate = lp->spawn_rate;
    co->duration_ms = lp->duration_ms;
    co->rate = lp->open ? lp->rate : 0;
    co->max_users = lp->max_users;
    co->stages = lp->stages;
    co->n_stages = lp->n_stages;
    co->host = o->host;
    return 0;
}

/* The files the scenario read, shipped as they were parsed: a new array
 * (caller frees) whose entries borrow the scenario's bytes. */
static proto_file_t *s_files(const scenario_t *sc, uint32_t *n_files) {
    size_t n = scenario_n_files(sc);
    proto_file_t *files = xcalloc(n ? n : 1, sizeof *files);
    for (size_t i = 0; i < n; i++) {
        scenario_file_t f = scenario_file(sc, i);
        /* proto_file_t also serves decoding, hence char *: encoding only reads. */
        files[i] = (proto_file_t){
            .name = (char *)f.name, .data = (char *)f.data, .data_bytes = f.data_bytes};
    }
    *n_files = (uint32_t)n;
    return files;
}

static void s_print_workers(const report_t *r) {
    size_t lost = 0;
    for (size_t i = 0; i < r->n_workers; i++) lost += strcmp(r->workers[i].state, "lost") == 0;
    printf("\nWorkers: %zu", r->n_workers);
    if (lost) printf(" (%zu lost)", lost);
    printf("\n");
    for (size_t i = 0; i < r->n_workers; i++) {
        const report_worker_t *w = &r->workers[i];
        printf("  %-28s %-20s users %-6u reports %-5llu %s", w->id, w->hostname, w->users,
               (unsigned long long)w->reports, w->state);
        if (w->lost_at_ms && r->started_ms && w->lost_at_ms >= r->started_ms) {
            printf(" at %.1f s into the run", (double)(w->lost_at_ms - r->started_ms) / 1000.0);
        }
        printf("\n");
    }
}

/* The text a person reads at the end: tables, workers, threshold verdicts. */
static void s_print_report(const report_t *r) {
    summary_print_load(stdout, r);
    summary_print_final(stdout, r->results, r->run_seconds);
    s_print_workers(r);
    if (r->n_thresholds) {
        printf("\nThresholds\n");
        thresholds_print(stdout, r);
    }
    fflush(stdout);
}

static outputs_t s_outputs(const cli_opts_t *o) {
    return (outputs_t){.csv_prefix = o->csv_prefix,
                       .json_path = o->json_path,
                       .html_path = o->html_path,
                       .junit_path = o->junit_path};
}

/* Thresholds of the scenario, then of the command line, parsed before the
 * run so that a bad one stops everything with its position. */
typedef struct {
    thresholds_check_t *items;
    size_t n;
} checks_t;

static void s_checks_fini(checks_t *c) {
    for (size_t i = 0; i < c->n; i++) thresholds_check_fini(&c->items[i]);
    free(c->items);
    *c = (checks_t){0};
}

static int s_parse_checks(const cli_opts_t *o, const scenario_t *sc, checks_t *out) {
    size_t cap = sc->n_thresholds + o->n_thresholds;
    out->items = xcalloc(cap ? cap : 1, sizeof *out->items);
    int bad = 0;
    char err[200];
    size_t at = 0;
    for (size_t i = 0; i < sc->n_thresholds; i++) {
        const scenario_threshold_t *t = &sc->thresholds[i];
        if (thresholds_parse_named(t->name, t->text, &out->items[out->n], err, sizeof err, &at)) {
            fprintf(stderr, "%s:%d:%d: error: threshold '%s': %s\n", o->scenario, t->pos.line,
                    t->pos.col, t->text, err);
            bad = 1;
        } else {
            out->n++;
        }
    }
    for (size_t i = 0; i < o->n_thresholds; i++) {
        if (thresholds_parse(o->thresholds[i], &out->items[out->n], err, sizeof err, &at)) {
            fprintf(stderr, "barrage: error: --threshold '%s': %s (at character %zu)\n",
                    o->thresholds[i], err, at + 1);
            bad = 1;
        } else {
            out->n++;
        }
    }
    return bad ? -1 : 0;
}

static void s_fill_meta(report_t *r, const cli_opts_t *o, const scenario_t *sc,
                        const conductor_opts_t *co) {
    r->barrage_version = xstrdup(BARRAGE_VERSION);
    r->scenario_name = xstrdup(sc->name);
    r->scenario_file = xstrdup(o->scenario);
    r->scenario_sha256 = scenario_sha256_hex(sc); /* of the very bytes shipped */
    if (!r->scenario_sha256)
        fprintf(stderr, "barrage: warning: cannot hash the scenario: libsodium does not "
                        "initialise (the results' scenario.sha256 is null)\n");
    r->host = xstrdup(co->host ? co->host : sc->host);
    r->mode = xstrdup(co->rate > 0 ? "open" : "closed");
    r->users = co->users;
    r->spawn_rate = co->spawn_rate;
    r->duration_ms = co->duration_ms;
    r->rate = co->rate;
    r->max_users = co->max_users;
    r->stages = loadplan_stages_text(co->stages, co->n_stages);
}

/* Writes the report's files; each one that fails is said as
 * "barrage: error: <what> <path>: <why>". Returns outputs_write's result. */
static int s_write_outputs(const report_t *r, const outputs_t *out) {
    strbuf_t errors;
    strbuf_init(&errors);
    int rc = outputs_write(r, out, &errors);
    const char *line = strbuf_str(&errors);
    for (const char *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
        fprintf(stderr, "barrage: error: %.*s\n", (int)(nl - line), line);
    }
    strbuf_fini(&errors);
    return rc;
}

/* After the run: report, verdicts, files; returns the exit code. */
static int s_finish(conductor_t *c, int outcome, const cli_opts_t *o, const scenario_t *sc,
                    const conductor_opts_t *co, const checks_t *checks) {
    if (outcome == CONDUCTOR_NO_WORKERS) return BARRAGE_EXIT_RUNTIME;
    report_t *r = report_new();
    s_fill_meta(r, o, sc, co);
    conductor_fill_report(c, r);
    thresholds_evaluate(r, checks->items, checks->n);
    s_print_report(r);
    outputs_t out = s_outputs(o);
    int rc = BARRAGE_EXIT_OK;
    if (s_write_outputs(r, &out) != 0) rc = BARRAGE_EXIT_RUNTIME;
    if (outcome == CONDUCTOR_FAILED) {
        fprintf(stderr, "barrage: error: no worker completed the run\n");
        rc = BARRAGE_EXIT_RUNTIME;
    } else if (rc == BARRAGE_EXIT_OK && !report_thresholds_passed(r)) {
        rc = BARRAGE_EXIT_THRESHOLDS;
    }
    report_destroy(&r);
    return rc;
}

static int s_conduct(const cli_opts_t *o, bool local) {
    scenario_t *sc = s_load(o->scenario);
    if (!sc) return BARRAGE_EXIT_USAGE;
    /* The bytes validated are the ones hashed and shipped: read once, by s_load. */
    size_t text_len = 0;
    const char *text = scenario_text(sc, &text_len);
    conductor_opts_t co = {.scenario = sc, .scenario_name = o->scenario, .scenario_text = text,
                           .scenario_bytes = text_len, .report_ms = TIMEOUT_REPORT_MS,
                           .heartbeat_ms = TIMEOUT_HEARTBEAT_MS,
                           .live_ms = 2000, .live = o->verbosity >= 0};
    int rc = BARRAGE_EXIT_USAGE;
    proto_file_t *files = s_files(sc, &co.n_files);
    checks_t checks = {0};
    loadplan_t lp = {0};
    secure_t sec;
    if (secure_load(&sec, o, local) != 0) goto out;
    if (s_resolve_load(o, sc, &co, &lp) != 0) goto out;
    if (s_parse_checks(o, sc, &checks) != 0) goto out;
    co.curve_secret = sec.on ? sec.pair.secret_z85 : NULL;
    co.allowed = &sec.allowed;
    co.files = files;
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
    secure_announce(&sec, o, conductor_endpoint(c));
    if (!local && o->verbosity >= 0) {
        fprintf(stderr, "barrage: master listening on %s, waiting for %u worker%s\n",
                conductor_endpoint(c), co.expect_workers, co.expect_workers == 1 ? "" : "s");
    }
    if (local) {
        char *path = local_worker_path();
        const char *flag = o->verbosity < 0 ? "error" : o->verbosity > 0 ? "debug" : "warn";
        int spawned = local_spawn(&lw, co.expect_workers, path, conductor_endpoint(c), flag,
                                  sec.on ? o->key_path : NULL);
        free(path);
        if (spawned != 0) {
            fprintf(stderr, "barrage: error: cannot start %u local workers (%zu started)\n",
                    co.expect_workers, lw.n);
            conductor_destroy(&c);
            local_reap(&lw, 0);
            rc = BARRAGE_EXIT_RUNTIME;
            goto out;
        }
    }
    rc = s_finish(c, conductor_run(c), o, sc, &co, &checks);
    conductor_destroy(&c);
    if (local) local_reap(&lw, 5000);
out:
    loadplan_fini(&lp);
    secure_fini(&sec);
    s_checks_fini(&checks);
    free(files);
    scenario_destroy(&sc);
    return rc;
}

/* A result file that could not be read; err (freed here) names the file. */
static void s_read_error(const char *path, char *err) {
    if (err)
        fprintf(stderr, "barrage: error: %s\n", err);
    else
        fprintf(stderr, "barrage: error: %s: cannot read\n", path);
    free(err);
}

/* barrage report RESULT.json: the summary again, and any file output. */
static int s_report_cmd(const cli_opts_t *o) {
    char *err = NULL;
    report_t *r = report_json_read(o->scenario, &err);
    if (!r) {
        s_read_error(o->scenario, err);
        return BARRAGE_EXIT_USAGE;
    }
    s_print_report(r);
    outputs_t out = s_outputs(o);
    int rc = s_write_outputs(r, &out) != 0 ? BARRAGE_EXIT_RUNTIME : BARRAGE_EXIT_OK;
    if (rc == BARRAGE_EXIT_OK && !report_thresholds_passed(r)) rc = BARRAGE_EXIT_THRESHOLDS;
    report_destroy(&r);
    return rc;
}

/* barrage compare BEFORE.json AFTER.json */
static int s_compare_cmd(const cli_opts_t *o) {
    char *err = NULL;
    report_t *before = report_json_read(o->scenario, &err);
    if (!before) {
        s_read_error(o->scenario, err);
        return BARRAGE_EXIT_USAGE;
    }
    report_t *after = report_json_read(o->second, &err);
    if (!after) {
        s_read_error(o->second, err);
        report_destroy(&before);
        return BARRAGE_EXIT_USAGE;
    }
    compare_opts_t co = COMPARE_OPTS_DEFAULT;
    co.format = o->markdown ? COMPARE_MD : COMPARE_TEXT;
    co.fail_on_regression_pct = o->fail_on_regression_pct > 0 ? o->fail_on_regression_pct : 0;
    co.before_label = o->scenario;
    co.after_label = o->second;
    int rc = compare_reports(stdout, before, after, &co);
    report_destroy(&before);
    report_destroy(&after);
    return rc < 0 ? BARRAGE_EXIT_RUNTIME : rc == 1 ? BARRAGE_EXIT_THRESHOLDS : BARRAGE_EXIT_OK;
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
    case CLI_REPORT: return s_report_cmd(&o);
    case CLI_COMPARE: return s_compare_cmd(&o);
    case CLI_KEYGEN: return secure_keygen(&o);
    }
    return BARRAGE_EXIT_USAGE;
}
