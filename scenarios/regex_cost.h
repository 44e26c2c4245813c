/* regex_cost: refuses capture regexes that glibc's regcomp would expand into
 * gigabytes, and back-references, with which glibc's regexec takes exponential
 * time on a hostile body ("(a*)\1b" over 1 KB of 'a': 8 s, in the worker's
 * loop). regcomp copies a repeated subexpression once per repetition
 * ("x{1000}" holds 1000 copies, every stacked "+" doubles the tree: 28 of them
 * ask for 2^28 nodes) and builds closures quadratic in the number of optional
 * copies ("(a?){3000}" takes 700 MB). This walks the ERE syntax without
 * compiling it and estimates that size in node-like units. A pattern is
 * refused when the estimate exceeds REGEX_COST_MAX (about 30 MB), when
 * repetitions are stacked more than REGEX_COST_MAX_STACK deep ("(a+)+" is 2),
 * when groups nest more than REGEX_COST_MAX_GROUPS deep, or when it has a
 * back-reference. Plain patterns (token=(\w+), "id": ?"([^"]*)", [0-9]{4})
 * cost a few dozen units. */
#ifndef BARRAGE_SCENARIOS_REGEX_COST_H
#define BARRAGE_SCENARIOS_REGEX_COST_H

#include <stdbool.h>
#include <stdint.h>

#define REGEX_COST_MAX 50000u
#define REGEX_COST_MAX_STACK 3
#define REGEX_COST_MAX_GROUPS 64

/* Estimates pattern (POSIX extended, NUL-terminated). Returns true when it is
 * cheap enough to compile; otherwise false with *why set to a static reason
 * ("too costly to compile: repetitions nested too deep", "...: too many
 * repeated copies", "...: groups nested too deep", or that back-references
 * are not supported).
 * *cost gets the estimate (saturated at REGEX_COST_MAX + 1) either way. */
bool regex_cost_ok(const char *pattern, uint64_t *cost, const char **why);

#endif
