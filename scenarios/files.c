/* files: the files a scenario names, read once per name and kept as read. */
#include "scenarios/files.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

static scenario_file_t s_view(const scenario_stored_file_t *f) {
    return (scenario_file_t){.name = f->name, .data = f->data, .data_bytes = f->data_bytes};
}

bool scenario_files_get(scenario_doc_t *d, const yaml_node_t *n, const char *what, const char *name,
                        scenario_file_t *out) {
    scenario_t *s = d->sc;
    for (size_t i = 0; i < s->n_files; i++) {
        if (strcmp(s->files[i].name, name) == 0) {
            *out = s_view(&s->files[i]);
            return true;
        }
    }
    size_t len = 0;
    errno = 0;
    char *text = d->files->read(d->files->ctx, name, &len);
    if (!text) {
        scenario_doc_error(d, n, "cannot read %s file '%s': %s", what, name,
                           strerror(errno ? errno : EIO));
        return false;
    }
    /* Readers return len bytes; a NUL after them lets text parsers stop safely. */
    char *data = xrealloc(text, len + 1);
    data[len] = '\0';
    s->files = xrealloc(s->files, (s->n_files + 1) * sizeof *s->files);
    s->files[s->n_files] =
        (scenario_stored_file_t){.name = xstrdup(name), .data = data, .data_bytes = len};
    *out = s_view(&s->files[s->n_files++]);
    return true;
}

void scenario_files_free(scenario_t *s) {
    for (size_t i = 0; i < s->n_files; i++) {
        free(s->files[i].name);
        free(s->files[i].data);
    }
    free(s->files);
    s->files = NULL;
    s->n_files = 0;
}
