/* test_sha256: FIPS 180-4 test vectors, including the padding boundaries. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "common/sha256.h"

static void s_expect(const char *text, size_t len, const char *hex) {
    char *got = sha256_hex(text, len);
    cr_assert_str_eq(got, hex, "sha256 of %zu bytes", len);
    free(got);
}

Test(sha256, standard_vectors) {
    s_expect("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    s_expect("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    s_expect(two, strlen(two), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(sha256, million_a_crosses_many_blocks) {
    char *a = malloc(1000000);
    memset(a, 'a', 1000000);
    s_expect(a, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

Test(sha256, raw_digest_matches_hex) {
    uint8_t d[32];
    sha256("abc", 3, d);
    cr_assert_eq(d[0], 0xba);
    cr_assert_eq(d[31], 0xad);
}
