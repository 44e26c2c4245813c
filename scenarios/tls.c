/* tls: the tls: and http: keys of defaults: and of a request. */
#include "scenarios/tls.h"

#include <stdlib.h>
#include <string.h>

#include "scenarios/files.h"

/* A PEM file holds at least one "-----BEGIN ...-----" block; anything else
 * (a DER file, a wrong path's content) would only fail in every handshake. */
static bool s_is_pem(const scenario_file_t *f) {
    static const char marker[] = "-----BEGIN ";
    return f->data_bytes >= sizeof marker - 1 &&
           memmem(f->data, f->data_bytes, marker, sizeof marker - 1) != NULL;
}

/* One of ca, cert, key: a file name, read and checked to be PEM. */
static void s_pem(scenario_doc_t *d, const yaml_node_t *n, const char *what, const char *block,
                  scenario_file_t *out) {
    char *name = NULL;
    scenario_file_t f = {0};
    if (!scenario_doc_string(d, n, what, &name)) return;
    if (scenario_files_get(d, n, what, name, &f)) {
        if (s_is_pem(&f))
            *out = f;
        else
            scenario_doc_error(d, n,
                               "%s file '%s' is not PEM (expected a -----BEGIN %s----- block)",
                               what, name, block);
    }
    free(name);
}

static void s_min_version(scenario_doc_t *d, const yaml_node_t *n, scenario_tls_version_t *out) {
    char got[96];
    const char *t = n->type == YAML_SCALAR_NODE ? scenario_doc_text(n) : NULL;
    if (t && !strcmp(t, "1.2"))
        *out = SCENARIO_TLS_1_2;
    else if (t && !strcmp(t, "1.3"))
        *out = SCENARIO_TLS_1_3;
    else
        scenario_doc_error(d, n, "min_version must be \"1.2\" or \"1.3\" (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
}

void scenario_tls_read(scenario_doc_t *d, yaml_node_t *n, scenario_tls_t *tls) {
    static const char *const keys[] = {"verify", "ca", "cert", "key", "min_version", NULL};
    enum { VERIFY, CA, CERT, KEY, MIN_VERSION };
    scenario_field_t f[5];
    if (scenario_doc_is_null(n) || !scenario_doc_fields(d, n, "tls", "in tls", keys, f)) return;
    bool verify = true;
    if (f[VERIFY].value && scenario_doc_bool(d, f[VERIFY].value, "verify", &verify))
        tls->verify = verify ? 1 : 0;
    if (f[CA].value) s_pem(d, f[CA].value, "ca", "CERTIFICATE", &tls->ca);
    if (f[CERT].value) s_pem(d, f[CERT].value, "cert", "CERTIFICATE", &tls->cert);
    if (f[KEY].value) s_pem(d, f[KEY].value, "key", "PRIVATE KEY", &tls->key);
    if (f[MIN_VERSION].value) s_min_version(d, f[MIN_VERSION].value, &tls->min_version);
}

void scenario_tls_check_pair(scenario_doc_t *d, const yaml_node_t *n, const scenario_tls_t *own,
                             const scenario_tls_t *inherited) {
    bool has_cert = own->cert.name || (inherited && inherited->cert.name);
    if (own->key.name && !has_cert)
        scenario_doc_error(d, n,
                           "tls has a key but no cert (expected cert: the client certificate "
                           "the key belongs to)");
}

void scenario_http_read(scenario_doc_t *d, const yaml_node_t *n, scenario_http_t *out) {
    static const struct {
        const char *text;
        scenario_http_t v;
    } names[] = {{"1.1", SCENARIO_HTTP_1_1}, {"2", SCENARIO_HTTP_2}, {"h2c", SCENARIO_HTTP_H2C}};
    char got[96];
    const char *t = n->type == YAML_SCALAR_NODE ? scenario_doc_text(n) : NULL;
    for (size_t i = 0; t && i < sizeof names / sizeof names[0]; i++) {
        if (!strcmp(t, names[i].text)) {
            *out = names[i].v;
            return;
        }
    }
    scenario_doc_error(d, n, "http must be \"1.1\", \"2\" or \"h2c\" (got %s)",
                       scenario_doc_describe(n, got, sizeof got));
}
