/* transport: the connections:, compression:, proxy: and resolve: keys of
 * defaults: (compression: and proxy: also per request), internal to
 * scenarios/: how requests get connections, what they accept encoded, the
 * proxy they go through and the addresses host names resolve to. */
#ifndef BARRAGE_SCENARIOS_TRANSPORT_H
#define BARRAGE_SCENARIOS_TRANSPORT_H

#include "scenarios/scenario.h"
#include "scenarios/yaml_doc.h"

/* Reads connections: per_user | new | {shared: N, streams: M} into *out;
 * anything else is reported at its node. */
void scenario_connections_read(scenario_doc_t *d, yaml_node_t *n, scenario_connections_t *out);

/* Reads compression: true | false | [gzip, deflate, br] into *out (out->accept
 * freed by scenario_compression_fini); an unknown or repeated encoding, an
 * empty list or another type is reported. */
void scenario_compression_read(scenario_doc_t *d, yaml_node_t *n, scenario_compression_t *out);
void scenario_compression_fini(scenario_compression_t *c);

/* Reads proxy: a URL of scheme http, https, socks4, socks4a, socks5 or socks5h
 * with a host, into *out (caller frees); anything else is reported. */
void scenario_proxy_read(scenario_doc_t *d, const yaml_node_t *n, char **out);

/* Reads resolve: {"host:port": address, ...} into s->resolve as libcurl's
 * "host:port:address" (an IPv6 address in brackets). Reported: a key that is
 * not host:port, a port outside 1..65535, an address that is not IPv4 or IPv6. */
void scenario_resolve_read(scenario_doc_t *d, yaml_node_t *n, scenario_t *s);
/* Frees s->resolve. */
void scenario_resolve_fini(scenario_t *s);

#endif
