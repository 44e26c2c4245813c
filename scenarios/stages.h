/* stages: reads load.stages, a ramp of the arrival rate or of the users
 * (internal to scenarios/; the command-line form is scenario_stages_parse). */
#ifndef BARRAGE_SCENARIOS_STAGES_H
#define BARRAGE_SCENARIOS_STAGES_H

#include "scenarios/scenario.h"
#include "scenarios/yaml_doc.h"

/* Fills load->stages and load->stages_kind from the stages: value n,
 * reporting every problem to d (a list, each item {duration, rate} or
 * {duration, users}, all of one kind). */
void scenario_stages_read(scenario_doc_t *d, yaml_node_t *n, scenario_load_t *load);

#endif
