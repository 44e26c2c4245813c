/* barrage: the master command line — run, master, validate, report, compare, keygen,
 * import-locust. */
#include <curl/curl.h>
#include <errno.h>
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
#include "master/runplan.h"
#include "master/secure.h"
#include "master/webglue.h"
#include "report/thresholds.h"
#include "report/summary.h"
#include "scenarios/scenario.h"

static int s_validate(const cli_opts_t *o) {
    scenario_t *sc = runplan_load_scenario(o->scenario, stderr);
    if (!sc) return BARRAGE_EXIT_USAGE;
    /* What `run` would refuse with these overrides (-u beyond a unique data
     * file's rows, --stages that clash ...) is refused here too. */
    int bad = runplan_parse_checks(sc, o, NULL, NULL, stderr);
    loadplan_t lp;
    if (loadplan_check(o, sc, 1, &lp, stderr) != 0 || bad) {
        loadplan_fini(&lp); /* zeroed when the check failed */
        scenario_destroy(&sc);
        return BARRAGE_EXIT_USAGE;
    }
    size_t tasks = 0;
    for (size_t i = 0; i < sc->n_classes; i++) tasks += sc->classes[i].n_tasks;
    printf("%s: ok: scenario '%s', %zu user classes, %zu tasks\n\n", o->scenario, sc->name,
           sc->n_classes, tasks);
    /* With flags that change the load (or -H), the plan is the one the run would follow. */
    bool flags = o->users > 0 || o->rate > 0 || o->spawn_rate > 0 || o->duration_ms ||
                 o->max_users > 0 || o->stages || o->host;
    if (flags)
        describe_scenario_resolved(stdout, sc, &lp, o->host);
    else
        describe_scenario(stdout, sc, 0);
    loadplan_fini(&lp);
    scenario_destroy(&sc);
    return BARRAGE_EXIT_OK;
}

static void s_print_workers(const report_t *r) {
    size_t lost = 0;
    for (size_t i = 0; i < r->n_workers; i++) lost += strcmp(r->workers[i].state, "lost") == 0;
    printf("\nWorkers: %zu", r->n_workers);
    if (lost) printf(" (%zu lost)", lost);
    printf("\n");
    for (size_t i = 0; i < r->n_workers; i++) {
        const report_worker_t *w = &r->workers[i];
        printf("  %-28s %-20s users %-6u reports %-5llu ", w->id, w->hostname, w->users,
               (unsigned long long)w->reports);
        if (w->rss_max_kib)
            printf("cpu %.0f%% (max %.0f%%)  rss %.1f MiB  conns %u  lag max %.1f ms  ",
                   w->cpu_permille / 10.0, w->cpu_max_permille / 10.0, w->rss_kib / 1024.0,
                   w->connections, w->lag_max_us / 1000.0);
        printf("%s", w->state);
        if (w->lost_at_ms && r->started_ms && w->lost_at_ms >= r->started_ms) {
            printf(" at %.1f s into the run", (double)(w->lost_at_ms - r->started_ms) / 1000.0);
        }
        printf("\n");
    }
    summary_print_saturations(stdout, r);
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

/* After a run: report, verdicts, files; returns the exit code. Multi-run,
 * the report is then kept for the web UI. Each run writes the same output
 * files (the last run's stay, as Locust overwrites its CSVs). */
static int s_finish(conductor_t *c, int outcome, const cli_opts_t *o, webglue_t *web) {
    if (outcome == CONDUCTOR_NO_WORKERS) return BARRAGE_EXIT_RUNTIME;
    report_t *r = report_new();
    conductor_fill_meta(c, r);
    conductor_fill_report(c, r);
    conductor_judge(c, r);
    s_print_report(r);
    outputs_t out = s_outputs(o);
    int rc = BARRAGE_EXIT_OK;
    if (s_write_outputs(r, &out) != 0) rc = BARRAGE_EXIT_RUNTIME;
    if (outcome == CONDUCTOR_FAILED) {
        fprintf(stderr, "barrage: error: no worker completed the run\n");
        rc = BARRAGE_EXIT_RUNTIME;
    } else if (outcome == CONDUCTOR_UNREACHABLE) {
        fprintf(stderr, "barrage: error: the target is unreachable (the run was stopped: "
                        "abort if unreachable)\n");
        rc = BARRAGE_EXIT_RUNTIME;
    } else if (rc == BARRAGE_EXIT_OK && (!report_thresholds_passed(r) || r->aborted_by)) {
        rc = BARRAGE_EXIT_THRESHOLDS;
    }
    if (web) webglue_add_run(web, r);
    if (o->web_addr) conductor_keep_report(c, &r);
    report_destroy(&r);
    return rc;
}

/* Runs until the master is done: one run, or with --web as many as the
 * page starts (the exit status is the last run's). */
static int s_runs(conductor_t *c, const cli_opts_t *o, webglue_t *web) {
    if (!o->web_addr) return s_finish(c, conductor_run(c), o, NULL);
    int rc = BARRAGE_EXIT_OK;
    for (int outcome; (outcome = conductor_run(c)) != CONDUCTOR_QUIT;) {
        rc = s_finish(c, outcome, o, web);
    }
    return rc;
}

/* Serves the web UI and hooks it into the conductor's rounds. */
static webglue_t *s_web(conductor_t *c, const cli_opts_t *o, const conductor_opts_t *co,
                        runplan_t **plan, uint32_t n_workers) {
    char *err = NULL;
    webglue_t *g = webglue_new(o, co, plan, n_workers, &err);
    if (!g) {
        fprintf(stderr, "barrage: error: --web %s: %s\n", o->web_addr, err ? err : "cannot serve");
        free(err);
        return NULL;
    }
    conductor_set_round(c, webglue_round, g);
    if (o->verbosity >= 0) fprintf(stderr, "barrage: web UI on %s\n", webglue_url(g));
    return g;
}

static int s_spawn_local(local_workers_t *lw, const cli_opts_t *o, const conductor_t *c,
                         uint32_t n, const secure_t *sec) {
    char *path = local_worker_path();
    const char *flag = o->verbosity < 0 ? "error" : o->verbosity > 0 ? "debug" : "warn";
    int spawned = local_spawn(lw, n, path, conductor_endpoint(c), flag,
                              sec->on ? o->key_path : NULL);
    free(path);
    if (spawned != 0) {
        fprintf(stderr, "barrage: error: cannot start %u local workers (%zu started)\n", n,
                lw->n);
    }
    return spawned;
}

static int s_conduct(const cli_opts_t *o, bool local) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    long n = local ? (o->workers > 0 ? o->workers : cpus) : o->expect_workers;
    uint32_t n_workers = (uint32_t)(n > 0 ? n : 1);
    runplan_t *plan = runplan_load(o, n_workers, stderr);
    if (!plan) return BARRAGE_EXIT_USAGE;
    conductor_opts_t co = {.report_ms = TIMEOUT_REPORT_MS, .heartbeat_ms = TIMEOUT_HEARTBEAT_MS,
                           .live_ms = 2000, .live = o->verbosity >= 0};
    runplan_apply(plan, o, &co);
    int rc = BARRAGE_EXIT_USAGE;
    secure_t sec;
    if (secure_load(&sec, o, local) != 0) goto out;
    co.curve_secret = sec.on ? sec.pair.secret_z85 : NULL;
    co.allowed = &sec.allowed;
    co.bind = local ? "tcp://127.0.0.1:0" : o->bind;
    co.expect_workers = n_workers;
    co.wait_workers_ms = local ? 15000 : o->wait_workers_ms;
    co.quit_workers = local;
    co.multi_run = o->web_addr != NULL;
    co.autostart = o->autostart;
    co.autoquit_ms = o->autoquit_s >= 0 ? (uint64_t)o->autoquit_s * 1000u : CONDUCT_NO_AUTOQUIT;
    char *err = NULL;
    conductor_t *c = conductor_new(&co, &err);
    rc = BARRAGE_EXIT_RUNTIME;
    if (!c) {
        fprintf(stderr, "barrage: error: %s\n", err);
        free(err);
        goto out;
    }
    local_workers_t lw = {0};
    bool spawn_failed = false;
    webglue_t *web = o->web_addr ? s_web(c, o, &co, &plan, n_workers) : NULL;
    if (o->web_addr && !web) {
        conductor_destroy(&c);
        goto out;
    }
    secure_announce(&sec, o, conductor_endpoint(c));
    if (!local && o->verbosity >= 0) {
        fprintf(stderr, "barrage: master listening on %s, waiting for %u worker%s\n",
                conductor_endpoint(c), co.expect_workers, co.expect_workers == 1 ? "" : "s");
    }
    spawn_failed = local && s_spawn_local(&lw, o, c, co.expect_workers, &sec) != 0;
    if (!spawn_failed) rc = s_runs(c, o, web);
    webglue_destroy(&web);
    conductor_destroy(&c);
    if (local) local_reap(&lw, spawn_failed ? 0 : 5000);
out:
    secure_fini(&sec);
    runplan_destroy(&plan);
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

/* barrage import-locust: runs the converter shipped next to the binary (or in
 * ../libexec/barrage/) with python3 from PATH; its exit status is ours. */
static int s_import_locust(const cli_opts_t *o) {
    char exe[4096], first[4200], second[4200];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len < 0 || (size_t)len >= sizeof exe - 1) {
        fprintf(stderr, "barrage: error: readlink /proc/self/exe (%s:%d): %s\n", __FILE__,
                __LINE__, len < 0 ? strerror(errno) : "path too long");
        return BARRAGE_EXIT_USAGE;
    }
    exe[len] = '\0';
    if (cli_import_script_paths(exe, first, second, sizeof first) != 0) {
        fprintf(stderr, "barrage: error: cannot place the converter beside %s\n", exe);
        return BARRAGE_EXIT_USAGE;
    }
    const char *script = access(first, R_OK) == 0 ? first : access(second, R_OK) == 0 ? second : NULL;
    if (!script) {
        fprintf(stderr, "barrage: error: import-locust: the converter %s is missing (looked for %s "
                        "and %s): reinstall barrage\n", CLI_IMPORT_SCRIPT, first, second);
        return BARRAGE_EXIT_USAGE;
    }
    cli_import_store_t store;
    const char *argv[CLI_IMPORT_MAX_ARGS];
    cli_import_argv(o, script, &store, argv);
    fflush(stdout);
    execvp(argv[0], (char *const *)argv);
    if (errno == ENOENT) {
        fprintf(stderr, "barrage: error: import-locust needs python3, which is not on PATH "
                        "(apt-get install python3)\n");
    } else {
        fprintf(stderr, "barrage: error: execvp python3 (%s:%d): %s\n", __FILE__, __LINE__,
                strerror(errno));
    }
    return BARRAGE_EXIT_USAGE;
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
    case CLI_IMPORT_LOCUST: return s_import_locust(&o);
    }
    return BARRAGE_EXIT_USAGE;
}
