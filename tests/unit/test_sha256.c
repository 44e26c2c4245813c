/* test_sha256: FIPS 180-4 test vectors through libsodium, including the padding boundaries
 * (scenarios/sha256.h). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/sha256.h"

static void s_expect(const char *text, size_t len, const char *hex) {
    char got[SHA256_HEX_BYTES];
    cr_assert_eq(sha256_hex(text, len, got), 0);
    cr_assert_str_eq(got, hex, "sha256 of %zu bytes", len);
}

Test(sha256, standard_vectors) {
    s_expect("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    s_expect("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    s_expect(two, strlen(two), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const char *four =
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnop"
        "qklmnopqrlmnopqrsmnopqrstnopqrstu";
    s_expect(four, strlen(four),
             "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

Test(sha256, million_a_crosses_many_blocks) {
    char *a = malloc(1000000);
    memset(a, 'a', 1000000);
    s_expect(a, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

Test(sha256, padding_boundaries) {
    /* 55 bytes fit one block with the length; 56 and 64 need a second one. */
    char a[64];
    memset(a, 'a', sizeof a);
    s_expect(a, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    s_expect(a, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    s_expect(a, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

Test(sha256, binary_input_and_repeated_calls) {
    char got[SHA256_HEX_BYTES];
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(sha256_hex("\0", 1, got), 0, "libsodium initialises once, then stays up");
        cr_expect_str_eq(got, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    }
}
