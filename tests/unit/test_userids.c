/* test_userids: blocks of user ids handed out in order, each once (load/userids.h). */
#include <criterion/criterion.h>
#include <stdint.h>

#include "load/userids.h"

Test(userids, blocks_are_used_in_order) {
    userids_t u;
    userids_init(&u);
    uint64_t id = 0;
    cr_expect_not(userids_take(&u, &id), "empty");
    userids_add(&u, 11, 2);
    userids_add(&u, 50, 0); /* an empty block is nothing */
    userids_add(&u, 101, 3);
    cr_expect_eq(userids_left(&u), 5);
    uint64_t want[] = {11, 12, 101, 102, 103};
    for (int i = 0; i < 5; i++) {
        cr_assert(userids_take(&u, &id));
        cr_expect_eq(id, want[i]);
    }
    cr_expect_not(userids_take(&u, &id));
    cr_expect_eq(userids_left(&u), 0);
    userids_add(&u, 7, 1); /* a block added later is used next */
    cr_assert(userids_take(&u, &id));
    cr_expect_eq(id, 7);
    userids_fini(&u);
}

Test(userids, many_blocks_grow_the_table) {
    userids_t u;
    userids_init(&u);
    for (uint64_t b = 0; b < 100; b++)
        userids_add(&u, b * 1000 + 1, 2);
    uint64_t id, n = 0, last = 0;
    while (userids_take(&u, &id)) {
        cr_assert_gt(id, last, "ids only grow here");
        last = id;
        n++;
    }
    cr_expect_eq(n, 200);
    userids_fini(&u);
}
