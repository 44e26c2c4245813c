/* classes: reads the users: list (user classes, their tasks and requests) into the
 * model (internal to scenarios/). */
#ifndef BARRAGE_SCENARIOS_CLASSES_H
#define BARRAGE_SCENARIOS_CLASSES_H

#include "scenarios/scenario.h"
#include "scenarios/yaml_doc.h"

/* Fills s->classes from the users: value n, reporting every problem to d. */
void scenario_classes_read(scenario_doc_t *d, yaml_node_t *n, scenario_t *s);
/* Frees s->classes and everything under it (also when half filled). */
void scenario_classes_free(scenario_t *s);

#endif
