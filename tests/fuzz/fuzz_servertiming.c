/* fuzz_servertiming: servertiming_parse on arbitrary header values. Oracle:
 * every reported name lies inside the value, every dur is finite, >= 0 and
 * converts to integer microseconds as the engine does, and the return value
 * counts the reported metrics. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "tests/fuzz/fuzz.h"
#include "worker/servertiming.h"

typedef struct {
    const char *value;
    size_t len;
    int reported;
} s_seen_t;

static void s_on_metric(const char *name, size_t name_len, double dur_ms, void *arg) {
    s_seen_t *seen = arg;
    if (name < seen->value || name_len > seen->len ||
        (size_t)(name - seen->value) > seen->len - name_len)
        abort();
    if (!isfinite(dur_ms) || dur_ms < 0) abort();
    /* What the engine does with it (worker/engine.c): UBSan checks the cast. */
    volatile uint64_t us = (uint64_t)(dur_ms * 1000.0 + 0.5);
    (void)us;
    volatile char sink = 0;
    for (size_t i = 0; i < name_len; i++) sink ^= name[i]; /* ASan checks the bytes */
    (void)sink;
    seen->reported++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* A copy without a terminating NUL: the parser must respect len. */
    char *value = xmalloc(size ? size : 1);
    if (size) memcpy(value, data, size);
    s_seen_t seen = {value, size, 0};
    int n = servertiming_parse(value, size, s_on_metric, &seen);
    if (n >= 0 && n != seen.reported) abort();
    if (n < -1) abort();
    free(value);
    return 0;
}
