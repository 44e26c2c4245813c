/* runplan: what one run takes from the scenario file and the command line —
 * the scenario loaded (its exact bytes, data files and hash), its load
 * resolved with the flags (master/loadplan.h) and its thresholds parsed. Made
 * once at start, and again at each start from the web UI, so that an edited
 * scenario is picked up. */
#ifndef BARRAGE_MASTER_RUNPLAN_H
#define BARRAGE_MASTER_RUNPLAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "master/cli.h"
#include "master/conduct.h"
#include "master/loadplan.h"
#include "proto/proto.h"
#include "report/thresholds.h"
#include "scenarios/scenario.h"

typedef struct {
    scenario_t *scenario;
    proto_file_t *files; /* the data and tls files as parsed; entries borrow the scenario's bytes */
    uint32_t n_files;
    char *sha256;        /* of the scenario text, hex; NULL if libsodium does not start */
    loadplan_t load;
    thresholds_check_t *checks; /* the scenario's, then the command line's */
    size_t n_checks;
} runplan_t;

/* Loads o->scenario and resolves its load and thresholds for n_workers
 * workers. Every error (and warning) is printed on err, stderr or the web
 * glue's buffer (scenario errors as file:line:column: error: ..., the rest
 * as barrage: error: ...). Returns the plan (runplan_destroy), or NULL. */
runplan_t *runplan_load(const cli_opts_t *o, uint32_t n_workers, FILE *err);
void runplan_destroy(runplan_t **p);

/* Parses the thresholds of sc, then of o (--threshold), into a new array
 * *out of *n_out checks (thresholds_check_fini each, free the array; out
 * may be NULL to only check them, as `barrage validate` does). Every one
 * that does not parse, or whose name no request of sc has (it would only
 * say "no requests" after the run), is printed on err with its position
 * and the scenario's names. Returns 0, or -1 (nothing in *out). */
int runplan_parse_checks(const scenario_t *sc, const cli_opts_t *o, thresholds_check_t **out,
                         size_t *n_out, FILE *err);

/* Sets co's run fields (scenario, text, files, hash, host, tls_no_verify, users, spawn
 * rate, run time, rate, max_users, stages, thresholds, abort_if_unreachable) to p's,
 * borrowed: p must outlive
 * their use. */
void runplan_apply(const runplan_t *p, const cli_opts_t *o, conduct_opts_t *co);

/* Only the user classes named (n >= 1) take part in p's run: the others'
 * weights become 0, so the closed model's split gives them no users. n == 0
 * keeps every class. Returns 0, or -1 with *why (caller frees, one sentence;
 * p unchanged) for a name the scenario lacks, or a subset in the open model
 * (its workers pick each arrival's class by the scenario's weights). */
int runplan_pick_classes(runplan_t *p, const char *const *names, size_t n, char **why);

/* Loads the scenario file at path, printing its errors on err as
 * "file:line:column: error: ..." (and how many more were not shown). Returns
 * the scenario (caller destroys), or NULL when it has errors. */
scenario_t *runplan_load_scenario(const char *path, FILE *err);

#endif
