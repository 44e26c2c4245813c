/* scenario: YAML loader (being written). */
#include "scenarios/scenario.h"
