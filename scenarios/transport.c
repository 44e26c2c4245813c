/* transport: the connections:, compression:, proxy: and resolve: keys. */
#include "scenarios/transport.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/xmalloc.h"

static void s_connections_shared(scenario_doc_t *d, yaml_node_t *n, scenario_connections_t *out) {
    static const char *const keys[] = {"shared", "streams", NULL};
    enum { SHARED, STREAMS };
    scenario_field_t f[2];
    if (!scenario_doc_fields(d, n, "connections", "in connections", keys, f)) return;
    uint32_t shared = 0, streams = SCENARIO_DEFAULT_STREAMS;
    bool ok = true;
    if (!f[SHARED].value) {
        scenario_doc_error(d, n,
                           "connections has no shared (expected {shared: N, streams: M}: "
                           "at most N connections per host)");
        ok = false;
    } else {
        ok = scenario_doc_uint(d, f[SHARED].value, "shared", 1, &shared);
    }
    if (f[STREAMS].value) ok &= scenario_doc_uint(d, f[STREAMS].value, "streams", 1, &streams);
    if (ok) *out = (scenario_connections_t){SCENARIO_CONN_SHARED, shared, streams};
}

void scenario_connections_read(scenario_doc_t *d, yaml_node_t *n, scenario_connections_t *out) {
    if (n->type == YAML_MAPPING_NODE) {
        s_connections_shared(d, n, out);
        return;
    }
    const char *t = n->type == YAML_SCALAR_NODE ? scenario_doc_text(n) : NULL;
    if (t && !strcmp(t, "per_user")) {
        *out = (scenario_connections_t){.mode = SCENARIO_CONN_PER_USER};
    } else if (t && !strcmp(t, "new")) {
        *out = (scenario_connections_t){.mode = SCENARIO_CONN_NEW};
    } else {
        char got[96];
        scenario_doc_error(d, n,
                           "connections must be per_user, new or {shared: N, streams: M} (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
    }
}

static const char *const s_encodings[] = {"gzip", "deflate", "br", NULL};

/* The list form: each a known encoding, once; joined as "gzip, br". */
static void s_compression_list(scenario_doc_t *d, yaml_node_t *n, scenario_compression_t *out) {
    size_t len = scenario_doc_len(n);
    if (len == 0) {
        scenario_doc_error(d, n,
                           "compression list is empty (expected some of gzip, deflate, br; "
                           "false for none)");
        return;
    }
    bool seen[3] = {false, false, false}, ok = true;
    strbuf_t b;
    strbuf_init(&b);
    for (size_t i = 0; i < len; i++) {
        yaml_node_t *item = scenario_doc_item(d, n, i);
        const char *t = item->type == YAML_SCALAR_NODE ? scenario_doc_text(item) : NULL;
        size_t k = 0;
        while (t && s_encodings[k] && strcmp(t, s_encodings[k]))
            k++;
        char got[96];
        if (!t || !s_encodings[k]) {
            scenario_doc_error(d, item, "compression encoding must be gzip, deflate or br (got %s)",
                               scenario_doc_describe(item, got, sizeof got));
            ok = false;
        } else if (seen[k]) {
            scenario_doc_error(d, item, "compression lists %s twice", t);
            ok = false;
        } else {
            seen[k] = true;
            strbuf_appendf(&b, "%s%s", b.len ? ", " : "", t);
        }
    }
    if (ok) {
        scenario_compression_fini(out);
        *out = (scenario_compression_t){.set = 1, .accept = xstrdup(strbuf_str(&b))};
    }
    strbuf_fini(&b);
}

void scenario_compression_read(scenario_doc_t *d, yaml_node_t *n, scenario_compression_t *out) {
    if (n->type == YAML_SEQUENCE_NODE) {
        s_compression_list(d, n, out);
        return;
    }
    const char *t =
        n->type == YAML_SCALAR_NODE && scenario_doc_is_plain(n) ? scenario_doc_text(n) : NULL;
    bool on = false;
    if (t && (!strcmp(t, "true") || !strcmp(t, "True") || !strcmp(t, "TRUE"))) {
        on = true;
    } else if (!t || (strcmp(t, "false") && strcmp(t, "False") && strcmp(t, "FALSE"))) {
        char got[96];
        scenario_doc_error(d, n,
                           "compression must be true, false or a list of gzip, deflate, br "
                           "(got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return;
    }
    scenario_compression_fini(out);
    *out = (scenario_compression_t){.set = on ? 1 : 0, .accept = on ? xstrdup("") : NULL};
}

void scenario_compression_fini(scenario_compression_t *c) {
    free(c->accept);
    c->accept = NULL;
}

void scenario_proxy_read(scenario_doc_t *d, const yaml_node_t *n, char **out) {
    static const char *const schemes[] = {"http://",   "https://",   "socks4://", "socks4a://",
                                          "socks5://", "socks5h://", NULL};
    char *url = NULL;
    if (!scenario_doc_string(d, n, "proxy", &url)) return;
    size_t k = 0;
    while (schemes[k] && strncmp(url, schemes[k], strlen(schemes[k])))
        k++;
    const char *host = schemes[k] ? url + strlen(schemes[k]) : NULL;
    if (!host || !*host || *host == ':' || *host == '/') {
        scenario_doc_error(d, n,
                           "proxy must be a URL with a host, starting http://, https://, "
                           "socks4://, socks4a://, socks5:// or socks5h:// (got '%s')",
                           url);
        free(url);
        return;
    }
    free(*out);
    *out = url;
}

/* "host:port" with a port in 1..65535: 0, or -1 after reporting at n. */
static int s_host_port(scenario_doc_t *d, const yaml_node_t *n, const char *key) {
    const char *colon = strrchr(key, ':');
    if (!colon || colon == key || strchr(key, ':') != colon || strchr(key, '/')) {
        scenario_doc_error(d, n, "resolve key must be host:port (got '%s')", key);
        return -1;
    }
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    if (colon[1] < '0' || colon[1] > '9' || *end || port < 1 || port > 65535) {
        scenario_doc_error(d, n, "resolve key '%s': port must be 1 to 65535", key);
        return -1;
    }
    return 0;
}

/* One pair: the entry, or NULL after reporting. Caller frees. */
static char *s_resolve_entry(scenario_doc_t *d, const yaml_node_pair_t *p) {
    yaml_node_t *k = scenario_doc_node(d, p->key), *v = scenario_doc_node(d, p->value);
    char *key = NULL, *addr = NULL, *entry = NULL;
    if (!scenario_doc_string(d, k, "resolve key", &key)) return NULL;
    bool key_ok = s_host_port(d, k, key) == 0;
    if (scenario_doc_string(d, v, "resolve address", &addr)) {
        unsigned char buf[16];
        bool v4 = inet_pton(AF_INET, addr, buf) == 1, v6 = inet_pton(AF_INET6, addr, buf) == 1;
        if (!v4 && !v6)
            scenario_doc_error(d, v, "resolve address must be an IPv4 or IPv6 address (got '%s')",
                               addr);
        else if (key_ok)
            entry = v6 ? xasprintf("%s:[%s]", key, addr) : xasprintf("%s:%s", key, addr);
    }
    free(key);
    free(addr);
    return entry;
}

void scenario_resolve_read(scenario_doc_t *d, yaml_node_t *n, scenario_t *s) {
    if (n->type != YAML_MAPPING_NODE) {
        char got[96];
        scenario_doc_error(d, n, "resolve must be a mapping of \"host:port\": address (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return;
    }
    size_t len = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    scenario_resolve_fini(s);
    s->resolve = xcalloc(len ? len : 1, sizeof *s->resolve);
    for (size_t i = 0; i < len; i++) {
        if (scenario_doc_duplicate(d, n, i)) continue;
        char *entry = s_resolve_entry(d, &n->data.mapping.pairs.start[i]);
        if (entry) s->resolve[s->n_resolve++] = entry;
    }
}

void scenario_resolve_fini(scenario_t *s) {
    for (size_t i = 0; i < s->n_resolve; i++)
        free(s->resolve[i]);
    free(s->resolve);
    s->resolve = NULL;
    s->n_resolve = 0;
}
