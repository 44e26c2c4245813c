/* files: the files a scenario names (its data: file, its tls: certificates
 * and keys), read once per name through the loader's reader and kept byte
 * for byte in the scenario (internal to scenarios/; scenario_file shows them). */
#ifndef BARRAGE_SCENARIOS_FILES_H
#define BARRAGE_SCENARIOS_FILES_H

#include <stdbool.h>

#include "scenarios/scenario.h"
#include "scenarios/yaml_doc.h"

/* The file called name (as written in the scenario), read through d->files
 * the first time it is named and kept in d->sc; what ("data", "ca", ...)
 * names it in the error "cannot read <what> file '<name>': <why>", reported
 * at node n. Returns true with *out borrowing the kept bytes, or false
 * (reported). */
bool scenario_files_get(scenario_doc_t *d, const yaml_node_t *n, const char *what, const char *name,
                        scenario_file_t *out);

/* Frees the files s keeps. */
void scenario_files_free(scenario_t *s);

#endif
