/* test_saturation: master/saturation — a worker saturated when its CPU or
 * loop lag stays high for 3 s, said once per episode, with made-up times. */
#include <criterion/criterion.h>

#include "master/saturation.h"

#define S(n) ((uint64_t)(n) * 1000000u)

static saturation_change_t s_beat(saturation_t *s, uint32_t cpu, uint32_t lag_us, uint64_t at) {
    proto_health_t h = {.cpu_permille = cpu, .lag_us = lag_us};
    return saturation_update(s, &h, at);
}

Test(saturation, high_cpu_for_three_seconds_begins_an_episode_said_once) {
    saturation_t s = {0};
    cr_expect_eq(s_beat(&s, 950, 0, S(10)), SATURATION_SAME, "just went above");
    cr_expect_eq(s_beat(&s, 970, 0, S(11)), SATURATION_SAME);
    cr_expect_eq(s_beat(&s, 990, 0, S(12)), SATURATION_SAME);
    cr_expect_eq(s_beat(&s, 960, 0, S(13)), SATURATION_BEGAN, "3 s above");
    cr_expect_eq(s.began_us, S(10), "since it went above");
    cr_expect_eq(s_beat(&s, 999, 0, S(14)), SATURATION_SAME, "said once per episode");
    cr_expect_eq(s.cpu_max_permille, 999);
    cr_expect_eq(s_beat(&s, 400, 0, S(15)), SATURATION_ENDED);
    cr_expect_eq(s_beat(&s, 400, 0, S(16)), SATURATION_SAME);
    /* A second episode, from loop lag alone. */
    cr_expect_eq(s_beat(&s, 300, 25000, S(20)), SATURATION_SAME);
    cr_expect_eq(s_beat(&s, 300, 15000, S(23)), SATURATION_BEGAN);
    cr_expect_eq(s.lag_max_us, 15000);
    cr_expect_eq(s_beat(&s, 300, 30000, S(24)), SATURATION_SAME);
    cr_expect_eq(s.lag_max_us, 30000);
}

Test(saturation, a_dip_below_starts_the_hold_again_and_light_load_never_alarms) {
    saturation_t s = {0};
    s_beat(&s, 950, 0, S(1));
    s_beat(&s, 950, 0, S(3));
    cr_expect_eq(s_beat(&s, 899, 10000, S(4)), SATURATION_SAME, "89.9%% and 10 ms: below both");
    cr_expect_eq(s_beat(&s, 950, 0, S(5)), SATURATION_SAME);
    cr_expect_eq(s_beat(&s, 950, 0, S(7)), SATURATION_SAME, "2 s since the dip");
    cr_expect_eq(s_beat(&s, 950, 0, S(8)), SATURATION_BEGAN);
    saturation_t light = {0};
    for (int i = 0; i < 100; i++)
        cr_expect_eq(s_beat(&light, 300, 2000, S(i)), SATURATION_SAME);
}
