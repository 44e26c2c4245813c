/* describe: the human-readable plan of a scenario that `barrage validate`
 * prints — load, user classes and their share of the users, think times,
 * on_start requests, tasks with their probabilities, captures, expects,
 * variables and the data file. */
#ifndef BARRAGE_MASTER_DESCRIBE_H
#define BARRAGE_MASTER_DESCRIBE_H

#include <stdint.h>
#include <stdio.h>

#include "master/loadplan.h"
#include "scenarios/scenario.h"

/* Writes sc's plan to out, splitting users (0 = the scenario's load.users,
 * or none shown when that is unset too) across its classes by weight. */
void describe_scenario(FILE *out, const scenario_t *sc, uint32_t users);

/* As describe_scenario, with the load resolved from the command line's
 * flags (--rate, --stages, -t ...: lp, master/loadplan.h) and host (-H;
 * NULL = the scenario's): what `barrage validate` prints when flags change
 * the load, so the plan is the one the run would follow. */
void describe_scenario_resolved(FILE *out, const scenario_t *sc, const loadplan_t *lp,
                                const char *host);

#endif
