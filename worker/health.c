/* health: the worker's CPU share and memory for its heartbeats. */
#include "worker/health.h"

#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

uint32_t health_cpu_permille(health_t *h, uint64_t cpu_us, uint64_t now_us) {
    uint32_t permille = 0;
    if (h->started && now_us > h->wall_us && cpu_us >= h->cpu_us) {
        double share = (double)(cpu_us - h->cpu_us) / (double)(now_us - h->wall_us);
        double p = share * 1000.0 + 0.5;
        permille = p >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)p;
    }
    *h = (health_t){.cpu_us = cpu_us, .wall_us = now_us, .started = true};
    return permille;
}

uint64_t health_process_cpu_us(void) {
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0; /* cannot fail for RUSAGE_SELF */
    return (uint64_t)ru.ru_utime.tv_sec * 1000000u + (uint64_t)ru.ru_utime.tv_usec +
           (uint64_t)ru.ru_stime.tv_sec * 1000000u + (uint64_t)ru.ru_stime.tv_usec;
}

uint64_t health_rss_kib(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return 0;
    unsigned long long size = 0, resident = 0;
    int n = fscanf(f, "%llu %llu", &size, &resident);
    fclose(f);
    long page = sysconf(_SC_PAGESIZE);
    return n == 2 && page > 0 ? resident * (uint64_t)page / 1024u : 0;
}
