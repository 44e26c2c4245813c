/* test_moves: paced, interleaved starts and retirements per user class (load/moves.h). */
#include <criterion/criterion.h>
#include <stdint.h>

#include "load/moves.h"

Test(moves, from_none_starts_every_user_with_the_mix_kept) {
    moves_t m;
    moves_init(&m, 2);
    uint32_t from[] = {0, 0}, to[] = {8, 2}, given[2] = {0};
    moves_plan(&m, from, to, 0, 1000);
    cr_expect_eq(moves_left(&m), 10);
    cr_expect_eq(moves_due(&m, 0), 10, "rate 0: all due at once");
    cr_expect_eq(moves_next_at(&m), 1000);
    for (int i = 0; i < 10; i++) {
        uint32_t cls;
        cr_assert_eq(moves_next(&m, &cls), 1, "every move is a start");
        given[cls]++;
        /* Any prefix keeps the 8:2 mix within one user. */
        double want_b = 2.0 * (i + 1) / 10;
        cr_expect_leq(given[1], want_b + 1, "after %d moves: %u of class 1", i + 1, given[1]);
        cr_expect_geq(given[1] + 1, want_b);
    }
    cr_expect_eq(given[0], 8);
    cr_expect_eq(given[1], 2);
    uint32_t cls = 77;
    cr_expect_eq(moves_next(&m, &cls), 0);
    cr_expect_eq(cls, 77);
    cr_expect_eq(moves_next_at(&m), MOVES_NONE);
    moves_fini(&m);
}

Test(moves, paced_at_the_rate_with_the_first_at_once) {
    moves_t m;
    moves_init(&m, 1);
    uint32_t from[] = {0}, to[] = {5};
    moves_plan(&m, from, to, 2.0, 1000000); /* two per second from t = 1 s */
    cr_expect_eq(moves_due(&m, 999999), 0, "nothing before the start");
    cr_expect_eq(moves_due(&m, 1000000), 1, "the first at once");
    cr_expect_eq(moves_due(&m, 1499999), 1);
    cr_expect_eq(moves_due(&m, 1500000), 2);
    uint32_t cls;
    moves_next(&m, &cls);
    cr_expect_eq(moves_next_at(&m), 1500000);
    cr_expect_eq(moves_due(&m, 1500000), 1, "taken moves are not due again");
    moves_next(&m, &cls);
    cr_expect_eq(moves_next_at(&m), 2000000);
    cr_expect_eq(moves_due(&m, 60000000), 3, "never more than are left");
    moves_fini(&m);
}

Test(moves, retirements_and_starts_in_one_plan) {
    moves_t m;
    moves_init(&m, 3);
    uint32_t from[] = {5, 1, 3}, to[] = {3, 4, 3};
    moves_plan(&m, from, to, 0, 0);
    cr_expect_eq(moves_left(&m), 5);
    int starts = 0, retires = 0;
    uint32_t cls;
    int dir;
    while ((dir = moves_next(&m, &cls)) != 0) {
        if (dir > 0) {
            cr_expect_eq(cls, 1, "only class 1 grows");
            starts++;
        } else {
            cr_expect_eq(cls, 0, "only class 0 shrinks");
            retires++;
        }
    }
    cr_expect_eq(starts, 3);
    cr_expect_eq(retires, 2);
    moves_fini(&m);
}

Test(moves, a_new_plan_replaces_the_rest_of_the_old_one) {
    moves_t m;
    moves_init(&m, 1);
    uint32_t zero[] = {0}, ten[] = {10}, three[] = {3}, six[] = {6};
    moves_plan(&m, zero, ten, 1.0, 0);
    uint32_t cls;
    for (int i = 0; i < 3; i++)
        moves_next(&m, &cls);
    moves_plan(&m, three, six, 4.0, 5000000);
    cr_expect_eq(moves_left(&m), 3);
    cr_expect_eq(moves_next_at(&m), 5000000);
    cr_expect_eq(moves_due(&m, 5250000), 2);
    moves_fini(&m);
}

Test(moves, nothing_to_do_and_bad_rates) {
    moves_t m;
    moves_init(&m, 2);
    uint32_t same[] = {4, 4};
    moves_plan(&m, same, same, 3.0, 0);
    cr_expect_eq(moves_left(&m), 0);
    cr_expect_eq(moves_due(&m, 1000000), 0);
    cr_expect_eq(moves_next_at(&m), MOVES_NONE);
    uint32_t from[] = {0, 0};
    moves_plan(&m, from, same, -1.0, 0);
    cr_expect_eq(moves_due(&m, 0), 8, "a negative rate means all at once");
    moves_fini(&m);
    moves_init(&m, 0);
    moves_plan(&m, NULL, NULL, 1.0, 0);
    cr_expect_eq(moves_left(&m), 0);
    moves_fini(&m);
}
