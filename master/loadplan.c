/* loadplan: a run's model, size, run time and ramp from the scenario and the CLI. */
#include "master/loadplan.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/xmalloc.h"

/* The ramp's stages from the command line's --stages or the scenario's. */
static int s_stages(const cli_opts_t *o, const scenario_t *sc, bool use_scenario,
                    scenario_stage_t **out, size_t *n, FILE *err) {
    *out = NULL;
    *n = 0;
    if (o->stages) {
        char why[200];
        if (scenario_stages_parse(o->stages, out, n, why, sizeof why) == 0) return 0;
        fprintf(err, "barrage: error: --stages '%s': %s\n", o->stages, why);
        return -1;
    }
    if (!use_scenario || sc->load.stages_kind == SCENARIO_STAGES_NONE) return 0;
    *out = xcalloc(sc->load.n_stages, sizeof **out);
    memcpy(*out, sc->load.stages, sc->load.n_stages * sizeof **out);
    *n = sc->load.n_stages;
    return 0;
}

/* Fills lp->stages: a leading step to start (when > 0), then the stages. */
static int s_ramp(loadplan_t *lp, double start, const scenario_stage_t *st, size_t n,
                  const char *file, FILE *err) {
    if (n == 0) return 0;
    lp->stages = xcalloc(n + 1, sizeof *lp->stages);
    if (start > 0) lp->stages[lp->n_stages++] = (ramp_stage_t){.duration_us = 0, .target = start};
    for (size_t i = 0; i < n; i++) {
        if (!lp->open && st[i].target != floor(st[i].target)) {
            fprintf(err,
                    "barrage: error: %s: stage %zu: users must be a whole number (got %g)\n", file,
                    i + 1, st[i].target);
            return -1;
        }
        lp->stages[lp->n_stages++] =
            (ramp_stage_t){.duration_us = st[i].duration_ms * 1000u, .target = st[i].target};
    }
    return 0;
}

static int s_open(const cli_opts_t *o, const scenario_t *sc, uint32_t n_workers, loadplan_t *lp,
                  double peak, FILE *err) {
    lp->rate = peak;
    if (o->max_users > 0) {
        lp->max_users = (uint32_t)o->max_users;
    } else if (sc->load.max_users) {
        lp->max_users = sc->load.max_users;
    } else {
        double def = ceil(2.0 * peak);
        lp->max_users = def > LOADPLAN_MIN_DEFAULT_MAX_USERS
                            ? (def < UINT32_MAX ? (uint32_t)def : UINT32_MAX)
                            : LOADPLAN_MIN_DEFAULT_MAX_USERS;
    }
    if (lp->max_users < n_workers) {
        fprintf(err,
                "barrage: error: %s: max_users %" PRIu32 " is below the %" PRIu32
                " workers: each worker needs at least one\n",
                o->scenario, lp->max_users, n_workers);
        return -1;
    }
    return 0;
}

/* complete: the run is about to start, so it needs a run time and a host. */
static int s_checks(const cli_opts_t *o, const scenario_t *sc, const loadplan_t *lp, bool complete,
                    FILE *err) {
    /* With the web UI a run without a run time goes on until stopped. */
    if (complete && !lp->duration_ms && !o->web_addr) {
        fprintf(err,
                "barrage: error: %s: no run time: set load.duration or load.stages in "
                "the scenario or pass -t/--run-time\n",
                o->scenario);
        return -1;
    }
    const scenario_data_t *d = sc->data;
    uint32_t users = lp->open ? lp->max_users : lp->users;
    if (d && d->order == SCENARIO_DATA_UNIQUE && users > d->n_rows) {
        fprintf(err,
                "barrage: error: %s:%d:%d: data file '%s' has %zu rows for %u %s: "
                "order unique gives each user its own row\n",
                o->scenario, d->pos.line, d->pos.col, d->file, d->n_rows, users,
                lp->open ? "slots (max_users)" : "users");
        return -1;
    }
    if (complete && !o->host && !sc->host) {
        fprintf(err,
                "barrage: error: %s: no host: set 'host' in the scenario or pass "
                "-H/--host\n",
                o->scenario);
        return -1;
    }
    return 0;
}

/* Model-specific option clashes. */
static int s_clashes(const cli_opts_t *o, bool open, bool staged, FILE *err) {
    if (open && o->spawn_rate > 0) {
        fprintf(err, "barrage: error: -r/--spawn-rate starts users (the closed model); the "
                        "open model (--rate or load.rate) starts iterations on its schedule\n");
        return -1;
    }
    if (!open && o->max_users > 0) {
        fprintf(err, "barrage: error: --max-users caps the open model: it needs --rate or "
                        "load.rate\n");
        return -1;
    }
    if (staged && o->spawn_rate > 0) {
        fprintf(err, "barrage: error: -r/--spawn-rate cannot be combined with stages (the "
                        "stages set the ramp)\n");
        return -1;
    }
    return 0;
}

static int s_resolve(const cli_opts_t *o, const scenario_t *sc, uint32_t n_workers,
                     loadplan_t *lp, bool complete, FILE *err) {
    *lp = (loadplan_t){0};
    const scenario_load_t *l = &sc->load;
    bool cli_users = o->users > 0, cli_rate = o->rate > 0;
    lp->open = cli_rate || (!cli_users && (l->rate > 0 || l->stages_kind == SCENARIO_STAGES_RATE));
    double start = lp->open ? (cli_rate ? o->rate : l->rate)
                            : (cli_users ? (double)o->users : (double)l->users);
    scenario_stage_t *st = NULL;
    size_t n = 0;
    if (s_stages(o, sc, !cli_users && !cli_rate, &st, &n, err) != 0) return -1;
    int rc = s_clashes(o, lp->open, n > 0, err);
    if (rc == 0) rc = s_ramp(lp, start, st, n, o->stages ? "--stages" : o->scenario, err);
    free(st);
    if (rc != 0) {
        loadplan_fini(lp);
        return -1;
    }
    ramp_t ramp = {.start = start, .stages = lp->stages, .n_stages = lp->n_stages};
    double peak = ramp_peak(&ramp);
    if (lp->open) {
        rc = s_open(o, sc, n_workers, lp, peak, err);
    } else {
        lp->users = peak >= 1 ? (peak < UINT32_MAX ? (uint32_t)peak : UINT32_MAX) : 1;
        lp->spawn_rate = n ? 0 : (o->spawn_rate > 0 ? o->spawn_rate : l->spawn_rate);
    }
    if (n > 0 && !(peak > 0)) {
        fprintf(err, "barrage: error: --stages '%s': never above 0 (nothing would run)\n",
                o->stages ? o->stages : "");
        rc = -1;
    }
    lp->duration_ms = o->duration_ms ? o->duration_ms
                      : n            ? ramp_total_us(&ramp) / 1000u
                                     : l->duration_ms;
    /* Stages replaced by -u or --rate still say how long the run is. */
    if (!lp->duration_ms)
        for (size_t i = 0; i < l->n_stages; i++)
            lp->duration_ms += l->stages[i].duration_ms;
    if (rc == 0) rc = s_checks(o, sc, lp, complete, err);
    if (rc != 0) loadplan_fini(lp);
    return rc;
}

int loadplan_resolve(const cli_opts_t *o, const scenario_t *sc, uint32_t n_workers,
                     loadplan_t *lp, FILE *err) {
    return s_resolve(o, sc, n_workers, lp, true, err);
}

int loadplan_check(const cli_opts_t *o, const scenario_t *sc, uint32_t n_workers, loadplan_t *out,
                   FILE *err) {
    loadplan_t lp;
    int rc = s_resolve(o, sc, n_workers, out ? out : &lp, false, err); /* zeroed on failure */
    if (rc == 0 && !out) loadplan_fini(&lp);
    return rc;
}

void loadplan_fini(loadplan_t *lp) {
    free(lp->stages);
    *lp = (loadplan_t){0};
}

char *loadplan_stages_text(const ramp_stage_t *stages, size_t n_stages) {
    strbuf_t b;
    strbuf_init(&b);
    for (size_t i = 0; i < n_stages; i++) {
        uint64_t ms = stages[i].duration_us / 1000u;
        if (i) strbuf_append_str(&b, ",");
        if (ms % 1000u)
            strbuf_appendf(&b, "%" PRIu64 "ms:%g", ms, stages[i].target);
        else
            strbuf_appendf(&b, "%" PRIu64 "s:%g", ms / 1000u, stages[i].target);
    }
    char *text = xstrndup(b.data ? b.data : "", b.len);
    strbuf_fini(&b);
    return text;
}
