/* loadplan: the load of one run, resolved from the scenario's load: and the
 * command line — the model (closed: users; open: arrival rate), its size, the
 * run time and the ramp (stages).
 *
 * Rules: -u/--users picks the closed model and --rate the open one (not
 * both); without either the scenario decides. --stages replaces the
 * scenario's stages and ramps what the model uses (iterations/s when open,
 * users when closed). The scenario's stages apply only when the command line
 * keeps its model and sets neither -u nor --rate. A ramp starts from the
 * model's users or rate (0 when unset). The run lasts -t, else the sum of the
 * stages, else load.duration (else the sum of the scenario's stages when -u
 * or --rate replaced them); with --web it may have none (it runs until
 * stopped). max_users defaults to twice the peak rate, at
 * least 100 (room for 2 s of latency at the peak). */
#ifndef BARRAGE_MASTER_LOADPLAN_H
#define BARRAGE_MASTER_LOADPLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/ramp.h"
#include "master/cli.h"
#include "scenarios/scenario.h"

/* max_users when neither the scenario nor --max-users sets it. */
#define LOADPLAN_MIN_DEFAULT_MAX_USERS 100u

typedef struct {
    bool open;          /* arrival rate (open model) instead of users */
    uint32_t users;     /* closed: the users (their peak with stages) */
    double spawn_rate;  /* closed, without stages: users started per second; 0 = at once */
    double rate;        /* open: the peak iterations/s (the rate without stages) */
    uint32_t max_users; /* open: cap on iterations in flight over all workers */
    uint64_t duration_ms;
    ramp_stage_t *stages; /* owned; the ramp from 0 (a leading 0 us stage sets its start) */
    size_t n_stages;      /* 0 = constant */
} loadplan_t;

/* Resolves the load of a run of sc with o's overrides; n_workers is how many
 * workers will share it. Returns 0, or -1 after printing
 * "barrage: error: ..." lines on err (a usage error). Host and data-file
 * checks are included. Release with loadplan_fini. */
int loadplan_resolve(const cli_opts_t *o, const scenario_t *sc, uint32_t n_workers,
                     loadplan_t *out, FILE *err);
void loadplan_fini(loadplan_t *lp);

/* The checks of loadplan_resolve that `barrage validate` can make before a
 * run: every one but those a run may still be told about (no run time, no
 * host). n_workers as in loadplan_resolve (validate: 1). Returns 0 with the
 * load in *out (loadplan_fini; out may be NULL), or -1 after printing
 * "barrage: error: ..." lines on err (*out then zeroed). */
int loadplan_check(const cli_opts_t *o, const scenario_t *sc, uint32_t n_workers, loadplan_t *out,
                   FILE *err);

/* The ramp as a person writes it, "30s:100,1m:500" (a start value as
 * "0s:50" first); a new string (caller frees), "" without stages. */
char *loadplan_stages_text(const ramp_stage_t *stages, size_t n_stages);

#endif
