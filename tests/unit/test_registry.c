/* test_registry: the master's worker table — add, find, count by state (master/registry.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "master/registry.h"

Test(registry, init_is_empty) {
    registry_t reg;
    registry_init(&reg);
    cr_expect_eq(reg.n, 0);
    cr_expect_null(registry_find(&reg, "x", 1));
    cr_expect_eq(registry_count(&reg, WORKER_READY), 0);
    registry_fini(&reg);
}

Test(registry, add_copies_strings_and_sets_defaults) {
    registry_t reg;
    registry_init(&reg);
    char rid[] = {0, 'a', 0, 'b'};
    char wid[] = "host-1-0", host[] = "host";
    worker_entry_t *w = registry_add(&reg, rid, sizeof rid, wid, host);
    cr_assert_not_null(w);
    wid[0] = 'X';
    host[0] = 'X';
    rid[1] = 'Z';
    cr_expect_str_eq(w->worker_id, "host-1-0");
    cr_expect_str_eq(w->hostname, "host");
    cr_expect_eq(w->routing_id_bytes, 4);
    cr_expect_eq(memcmp(w->routing_id, (char[]){0, 'a', 0, 'b'}, 4), 0);
    cr_expect_eq(w->state, WORKER_READY);
    cr_expect_eq(w->index, 0);
    cr_expect_eq(w->assigned, 0);
    registry_fini(&reg);
    cr_expect_eq(reg.n, 0);
    cr_expect_null(reg.items);
}

Test(registry, find_matches_binary_routing_ids_exactly) {
    registry_t reg;
    registry_init(&reg);
    registry_add(&reg, "\0ab", 3, "w0", "h");
    registry_add(&reg, "\0abc", 4, "w1", "h");
    worker_entry_t *a = registry_find(&reg, "\0ab", 3);
    worker_entry_t *b = registry_find(&reg, "\0abc", 4);
    cr_assert_not_null(a);
    cr_assert_not_null(b);
    cr_expect_str_eq(a->worker_id, "w0");
    cr_expect_str_eq(b->worker_id, "w1");
    cr_expect_null(registry_find(&reg, "\0ax", 3), "same length, other bytes");
    cr_expect_null(registry_find(&reg, "\0a", 2), "prefix");
    registry_fini(&reg);
}

Test(registry, indexes_follow_join_order_across_growth) {
    registry_t reg;
    registry_init(&reg);
    for (int i = 0; i < 100; i++) {
        char rid[16], wid[16];
        snprintf(rid, sizeof rid, "r%d", i);
        snprintf(wid, sizeof wid, "w%d", i);
        worker_entry_t *w = registry_add(&reg, rid, strlen(rid), wid, "h");
        cr_assert_eq(w->index, (uint32_t)i);
    }
    cr_expect_eq(reg.n, 100);
    worker_entry_t *w = registry_find(&reg, "r57", 3);
    cr_assert_not_null(w);
    cr_expect_str_eq(w->worker_id, "w57");
    cr_expect_eq(w->index, 57);
    registry_fini(&reg);
}

Test(registry, count_by_state) {
    registry_t reg;
    registry_init(&reg);
    for (int i = 0; i < 6; i++) {
        char rid[8];
        snprintf(rid, sizeof rid, "r%d", i);
        registry_add(&reg, rid, strlen(rid), rid, "h");
    }
    reg.items[0]->state = WORKER_RUNNING;
    reg.items[1]->state = WORKER_RUNNING;
    reg.items[2]->state = WORKER_LOST;
    reg.items[3]->state = WORKER_FINISHED;
    cr_expect_eq(registry_count(&reg, WORKER_READY), 2);
    cr_expect_eq(registry_count(&reg, WORKER_RUNNING), 2);
    cr_expect_eq(registry_count(&reg, WORKER_LOST), 1);
    cr_expect_eq(registry_count(&reg, WORKER_FINISHED), 1);
    cr_expect_eq(registry_count(&reg, WORKER_STOPPING), 0);
    cr_expect_eq(registry_count(&reg, WORKER_REFUSED), 0);
    registry_fini(&reg);
}

Test(registry, state_names) {
    cr_expect_str_eq(registry_state_name(WORKER_READY), "ready");
    cr_expect_str_eq(registry_state_name(WORKER_RUNNING), "running");
    cr_expect_str_eq(registry_state_name(WORKER_STOPPING), "stopping");
    cr_expect_str_eq(registry_state_name(WORKER_FINISHED), "finished");
    cr_expect_str_eq(registry_state_name(WORKER_LOST), "lost");
    cr_expect_str_eq(registry_state_name(WORKER_REFUSED), "refused");
    cr_expect_str_eq(registry_state_name((worker_state_t)42), "unknown");
}

Test(registry, share_is_copied_and_summed) {
    registry_t reg;
    registry_init(&reg);
    worker_entry_t *w = registry_add(&reg, "a", 1, "a", "h");
    cr_expect_null(w->class_users);
    uint32_t share[] = {5, 0, 2};
    registry_set_share(w, share, 3);
    share[0] = 99;
    cr_expect_eq(w->class_users[0], 5);
    cr_expect_eq(w->class_users[2], 2);
    cr_expect_eq(w->assigned, 7);
    uint32_t smaller[] = {1, 1, 1};
    registry_set_share(w, smaller, 3);
    cr_expect_eq(w->assigned, 3);
    registry_fini(&reg); /* frees the share (ASan build checks) */
}

Test(registry, detached_entry_stays_but_is_no_longer_found) {
    registry_t reg;
    registry_init(&reg);
    worker_entry_t *w = registry_add(&reg, "w1", 2, "w1", "h");
    w->state = WORKER_LOST;
    registry_detach(w);
    cr_expect_null(registry_find(&reg, "w1", 2));
    worker_entry_t *again = registry_add(&reg, "w1", 2, "w1", "h");
    cr_expect_eq(registry_find(&reg, "w1", 2), again, "the worker comes back as a new entry");
    cr_expect_eq(again->index, 1);
    cr_expect_eq(reg.items[0]->state, WORKER_LOST, "the lost entry is kept for the report");
    cr_expect_eq(registry_count(&reg, WORKER_LOST), 1);
    registry_fini(&reg);
}

Test(registry, entries_keep_their_address_across_100_adds) {
    registry_t reg;
    registry_init(&reg);
    worker_entry_t *first = registry_add(&reg, "first", 5, "first", "h");
    first->state = WORKER_RUNNING;
    first->users = 7;
    for (int i = 0; i < 100; i++) {
        char rid[16];
        snprintf(rid, sizeof rid, "r%d", i);
        registry_add(&reg, rid, strlen(rid), rid, "h");
    }
    cr_expect_eq(reg.n, 101);
    cr_expect_gt(reg.cap, 16, "the table grew past its first allocation");
    cr_expect_eq(registry_find(&reg, "first", 5), first, "same entry, same address");
    cr_expect_eq(reg.items[0], first);
    cr_expect_str_eq(first->worker_id, "first");
    cr_expect_eq(first->state, WORKER_RUNNING);
    cr_expect_eq(first->users, 7);
    registry_fini(&reg);
}
