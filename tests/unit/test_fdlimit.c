/* test_fdlimit: the open-file limit against a run's users (worker/fdlimit.h). Criterion
 * runs each test in its own process, so lowering the limit here touches nothing else. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "worker/fdlimit.h"

static void s_set_limit(rlim_t soft, rlim_t hard) {
    struct rlimit rl = {.rlim_cur = soft, .rlim_max = hard};
    cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
}

Test(fdlimit, one_descriptor_per_user_plus_reserve) {
    cr_expect_eq(fdlimit_needed(0), FDLIMIT_RESERVED);
    cr_expect_eq(fdlimit_needed(1000), 1000 + FDLIMIT_RESERVED);
}

Test(fdlimit, a_sufficient_limit_says_nothing) {
    s_set_limit(512, 512);
    cr_expect_null(fdlimit_check(100));
}

Test(fdlimit, raises_the_soft_limit_when_the_hard_one_allows) {
    struct rlimit now;
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &now), 0);
    if (now.rlim_max != RLIM_INFINITY && now.rlim_max < fdlimit_needed(1000))
        cr_skip_test("hard limit %llu is below what the test needs",
                     (unsigned long long)now.rlim_max);
    s_set_limit(256, now.rlim_max);
    cr_expect_null(fdlimit_check(1000));
    struct rlimit rl;
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    cr_expect_eq(rl.rlim_cur, fdlimit_needed(1000));
}

Test(fdlimit, too_low_a_hard_limit_is_explained) {
    s_set_limit(256, 256);
    char *msg = fdlimit_check(1000);
    cr_assert_not_null(msg);
    cr_expect(strstr(msg, "1000 users need about 1064 open files but the limit is 256") != NULL,
              "%s", msg);
    cr_expect(strstr(msg, "ulimit -n 1064") != NULL, "%s", msg);
    free(msg);
}
