/* describe: the human-readable plan of a scenario that `barrage validate`
 * prints — load, user classes and their share of the users, think times,
 * on_start requests, tasks with their probabilities, captures, expects,
 * variables and the data file. */
#ifndef BARRAGE_MASTER_DESCRIBE_H
#define BARRAGE_MASTER_DESCRIBE_H

#include <stdint.h>
#include <stdio.h>

#include "scenarios/scenario.h"

/* Writes sc's plan to out, splitting users (0 = the scenario's load.users,
 * or none shown when that is unset too) across its classes by weight. */
void describe_scenario(FILE *out, const scenario_t *sc, uint32_t users);

#endif
