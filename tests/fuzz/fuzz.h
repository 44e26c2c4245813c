/* fuzz: the entry point every fuzz target defines. The same source builds two
 * ways: with clang and -fsanitize=fuzzer as a libFuzzer target (BARRAGE_FUZZ=ON,
 * build-fuzz/fuzz/fuzz_NAME), and with any compiler linked to replay.c as
 * replay_NAME, which runs the checked-in corpus and crash regressions in the
 * normal test suite. A target must not crash, leak, hang or trip a sanitizer
 * whatever the bytes; targets with an oracle abort() when it disagrees. */
#ifndef BARRAGE_TESTS_FUZZ_FUZZ_H
#define BARRAGE_TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Runs one input (size bytes, not NUL-terminated). Always returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
