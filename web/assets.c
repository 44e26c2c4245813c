/* assets: finding an embedded page file by its path. */
#include "web/assets.h"

#include <string.h>

const web_asset_t *assets_find(const char *path) {
    if (strcmp(path, "/index.html") == 0) path = "/";
    for (size_t i = 0; i < ASSETS_COUNT; i++)
        if (strcmp(ASSETS_FILES[i].path, path) == 0) return &ASSETS_FILES[i];
    return NULL;
}
