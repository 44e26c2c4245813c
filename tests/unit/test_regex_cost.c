/* test_regex_cost: the regcomp blow-up guard for capture regexes (scenarios/regex_cost.h). */
#include <criterion/criterion.h>
#include <regex.h>
#include <string.h>

#include "scenarios/regex_cost.h"

#define S_NESTED "too costly to compile: repetitions nested too deep"
#define S_COPIES "too costly to compile: too many repeated copies"

static void s_expect_ok(const char *pattern) {
    uint64_t cost = 0;
    const char *why = "unset";
    cr_expect(regex_cost_ok(pattern, &cost, &why), "'%s' refused: %s", pattern, why);
    cr_expect_null(why, "'%s'", pattern);
    cr_expect_leq(cost, REGEX_COST_MAX, "'%s'", pattern);
}

static void s_expect_refused(const char *pattern, const char *reason) {
    uint64_t cost = 0;
    const char *why = NULL;
    cr_expect_not(regex_cost_ok(pattern, &cost, &why), "'%s' accepted (cost %llu)", pattern,
                  (unsigned long long)cost);
    cr_expect_str_eq(why ? why : "(none)", reason, "'%s'", pattern);
}

Test(regex_cost, everyday_patterns_are_cheap) {
    const char *patterns[] = {"token=(\\w+)", "\"id\": ?\"([^\"]*)\"", "[0-9]{4}",
                              "([0-9]{3}-[0-9]{4})", "[[:alpha:]]+@[a-z.]+", "^HTTP/1\\.[01]$",
                              "((ab)+c)*", "(a|b|c)?d{1,10}", "[]a{]{5}", "", "x{2,1}", "a{"};
    for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
        uint64_t cost;
        const char *why;
        cr_expect(regex_cost_ok(patterns[i], &cost, &why), "'%s': %s", patterns[i], why);
        cr_expect_lt(cost, 100, "'%s' costs %llu", patterns[i], (unsigned long long)cost);
    }
}

Test(regex_cost, large_but_affordable_repetitions_pass) {
    s_expect_ok("a{32767}");
    s_expect_ok("x{10000}y{10000}");
    s_expect_ok("(.*){300}");
    s_expect_ok(".{0,200}");
    s_expect_ok("((a+)+)+");
}

Test(regex_cost, stacked_repetitions_are_refused) {
    /* Found by fuzz_capture: "ord" and 28 '+' made regcomp allocate 2^28 nodes. */
    s_expect_refused("ord++++++++++++++++++++++++++++", S_NESTED);
    s_expect_refused("(((a+)+)+)+", S_NESTED);
    s_expect_refused("a*+*+", S_NESTED);
}

Test(regex_cost, copies_and_optional_closures_are_counted) {
    s_expect_refused("(a|b){30000}", S_COPIES);
    s_expect_refused("(a{100}){1000}", S_COPIES);
    s_expect_refused("(a?){3000}", S_COPIES); /* 700 MB in regcomp */
    s_expect_refused("a{0,3000}", S_COPIES);
    s_expect_refused("(^){3000}", S_COPIES);
    s_expect_refused("(a|){2000}", S_COPIES);
    s_expect_refused("a{99999999999999999999}", S_COPIES);
}

Test(regex_cost, back_references_are_refused) {
    /* glibc's regexec: 8 s for "(a*)\1b" over 1 KB of 'a', in the worker's event loop. */
    const char *why = "back-references (\\1 .. \\9) are not supported: "
                      "matching them can take exponential time";
    s_expect_refused("(a*)\\1b", why);
    s_expect_refused("([\"'])x\\1", why);
    s_expect_ok("[\\1]x"); /* inside brackets a backslash is literal */
    s_expect_ok("a\\.b\\w");
}

Test(regex_cost, deep_groups_are_refused) {
    char deep[2 * REGEX_COST_MAX_GROUPS + 8];
    size_t n = 0;
    for (int i = 0; i <= REGEX_COST_MAX_GROUPS; i++) deep[n++] = '(';
    deep[n++] = 'a';
    for (int i = 0; i <= REGEX_COST_MAX_GROUPS; i++) deep[n++] = ')';
    deep[n] = '\0';
    s_expect_refused(deep, "too costly to compile: groups nested too deep");
    deep[0] = deep[n - 1] = 'x'; /* one level less */
    s_expect_ok(deep);
}

Test(regex_cost, what_passes_compiles_quickly) {
    /* The affordable extremes above compile (regcomp would take gigabytes otherwise). */
    const char *patterns[] = {"a{32767}", "(.*){300}", ".{0,200}", "((a+)+)+"};
    for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
        regex_t re;
        cr_expect_eq(regcomp(&re, patterns[i], REG_EXTENDED), 0, "'%s'", patterns[i]);
        regfree(&re);
    }
}
