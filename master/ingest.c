/* ingest: wire stats into report rows. */
#include "master/ingest.h"

void ingest_stats(results_t *r, timeline_t *t, uint32_t second, const proto_stats_t *st) {
    results_add(r, st);
    timeline_add(t, second, st);
}
