/* assets: the page's files (web/assets/), embedded into the binary at build
 * time (web/embed_assets.cmake writes them as a C source in the build dir). */
#ifndef BARRAGE_WEB_ASSETS_H
#define BARRAGE_WEB_ASSETS_H

#include <stddef.h>

typedef struct {
    const char *path;          /* served at, "/app.js"; "/" for index.html */
    const char *type;          /* Content-Type */
    const unsigned char *data; /* the file's bytes (static) */
    size_t len;
} web_asset_t;

/* The embedded files (generated) and how many there are. */
extern const web_asset_t ASSETS_FILES[];
extern const size_t ASSETS_COUNT;

/* The asset served at path ("/", "/index.html", "/app.js", ...), or NULL. */
const web_asset_t *assets_find(const char *path);

#endif
