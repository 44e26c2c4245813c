/* tls: the tls: and http: keys of defaults: and of a request (internal to
 * scenarios/): TLS verification, CA, client certificate and key (read as
 * files, see files.h), minimum TLS version, and the HTTP version asked for. */
#ifndef BARRAGE_SCENARIOS_TLS_H
#define BARRAGE_SCENARIOS_TLS_H

#include "scenarios/scenario.h"
#include "scenarios/yaml_doc.h"

/* Reads the mapping n ({verify, ca, cert, key, min_version}) into *tls
 * (which starts with verify -1 and nothing else set). Every problem is
 * reported at its node: a wrong type, an unreadable file, a file that is not
 * PEM, a min_version other than "1.2" or "1.3". */
void scenario_tls_read(scenario_doc_t *d, yaml_node_t *n, scenario_tls_t *tls);

/* Reports, at node n, a client key without a client certificate: a key
 * alone names no identity to present. own is what the node sets, inherited
 * what it falls back on (NULL for the defaults themselves). */
void scenario_tls_check_pair(scenario_doc_t *d, const yaml_node_t *n, const scenario_tls_t *own,
                             const scenario_tls_t *inherited);

/* Reads http: "1.1", "2" or "h2c" into *out; anything else is reported. */
void scenario_http_read(scenario_doc_t *d, const yaml_node_t *n, scenario_http_t *out);

#endif
