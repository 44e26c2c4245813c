/* test_health: worker/health — a worker's CPU share between two readings,
 * and its resident memory read from /proc. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "worker/health.h"

Test(health, the_cpu_share_is_process_time_over_wall_time) {
    health_t h = {0};
    cr_expect_eq(health_cpu_permille(&h, 5000000, 100000000), 0, "the first reading has no span");
    cr_expect_eq(health_cpu_permille(&h, 5900000, 101000000), 900, "0.9 s of CPU in 1 s: 90%");
    cr_expect_eq(health_cpu_permille(&h, 7400000, 102000000), 1500, "two threads: 1.5 cores");
    cr_expect_eq(health_cpu_permille(&h, 7400000, 102000000), 0, "no time passed");
    cr_expect_eq(health_cpu_permille(&h, 7400250, 102500000), 1, "rounded: 0.05%% is 1 permille");
}

Test(health, this_process_uses_cpu_and_memory) {
    uint64_t before = health_process_cpu_us();
    volatile uint64_t x = 0;
    for (uint64_t i = 0; i < 50000000; i++) x += i;
    cr_expect_gt(health_process_cpu_us(), before, "a busy loop costs CPU time");
    char *block = malloc(8 << 20);
    memset(block, 1, 8 << 20);
    cr_expect_gt(health_rss_kib(), 8 * 1024, "8 MiB touched is resident");
    free(block);
}
