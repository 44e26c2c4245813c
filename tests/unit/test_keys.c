/* test_keys: CURVE key files (proto/keys.h) — keygen's round trip, file modes,
 * no accidental overwrite, allowed-key lists, and bad files named in errors. */
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proto/keys.h"

static char s_dir[64];

static int s_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void s_setup(void) {
    snprintf(s_dir, sizeof s_dir, "/tmp/barrage-keys.XXXXXX");
    cr_assert_not_null(mkdtemp(s_dir));
}

static void s_teardown(void) {
    nftw(s_dir, s_rm, 8, FTW_DEPTH | FTW_PHYS);
}

TestSuite(keys, .init = s_setup, .fini = s_teardown);

/* A path in the test's directory (static buffer: one at a time, or copy). */
static char *s_path(const char *name) {
    static char buf[4][256];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", s_dir, name);
    return p;
}

static void s_write(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

static mode_t s_mode(const char *path) {
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "%s", path);
    return st.st_mode & 07777;
}

/* Asserts reading path as a public key fails with an error containing want. */
static void s_expect_public_error(const char *path, const char *want) {
    keys_z85_t key;
    char *err = NULL;
    cr_expect_eq(keys_read_public(path, key, &err), -1, "%s was accepted", path);
    cr_assert_not_null(err);
    cr_expect_not_null(strstr(err, want), "'%s' not in '%s'", want, err);
    cr_expect_not_null(strstr(err, path), "the error '%s' does not name %s", err, path);
    free(err);
}

Test(keys, curve_is_available) {
    cr_assert(keys_available(), "libzmq was built without CURVE (libsodium)");
}

Test(keys, generate_write_read_round_trip) {
    keys_pair_t k, back;
    char *err = NULL;
    cr_assert_eq(keys_generate(&k, &err), 0);
    cr_expect_eq(strlen(k.public_z85), KEYS_Z85_LEN);
    cr_expect_eq(strlen(k.secret_z85), KEYS_Z85_LEN);
    char *path = s_path("m.key"), *pub = s_path("m.key.pub");
    cr_assert_eq(keys_write(path, &k, false, &err), 0, "%s", err);
    cr_expect_eq(s_mode(path), 0600);
    cr_expect_eq(s_mode(pub), 0644);
    cr_assert_eq(keys_read_pair(path, &back, &err), 0, "%s", err);
    cr_expect_str_eq(back.public_z85, k.public_z85);
    cr_expect_str_eq(back.secret_z85, k.secret_z85);
    keys_z85_t from_pub, from_pair;
    cr_assert_eq(keys_read_public(pub, from_pub, &err), 0, "%s", err);
    cr_expect_str_eq(from_pub, k.public_z85);
    cr_assert_eq(keys_read_public(path, from_pair, &err), 0, "%s", err);
    cr_expect_str_eq(from_pair, k.public_z85);
}

Test(keys, two_pairs_differ) {
    keys_pair_t a, b;
    char *err = NULL;
    cr_assert_eq(keys_generate(&a, &err), 0);
    cr_assert_eq(keys_generate(&b, &err), 0);
    cr_expect_str_neq(a.public_z85, b.public_z85);
    cr_expect_str_neq(a.secret_z85, b.secret_z85);
}

Test(keys, modes_do_not_follow_the_umask) {
    keys_pair_t k;
    char *err = NULL;
    cr_assert_eq(keys_generate(&k, &err), 0);
    umask(0);
    cr_assert_eq(keys_write(s_path("open.key"), &k, false, &err), 0, "%s", err);
    cr_expect_eq(s_mode(s_path("open.key")), 0600);
    umask(077);
    cr_assert_eq(keys_write(s_path("tight.key"), &k, false, &err), 0, "%s", err);
    cr_expect_eq(s_mode(s_path("tight.key.pub")), 0644);
}

Test(keys, no_overwrite_without_force) {
    keys_pair_t first, second, back;
    char *err = NULL;
    cr_assert_eq(keys_generate(&first, &err), 0);
    cr_assert_eq(keys_generate(&second, &err), 0);
    char *path = s_path("w.key");
    cr_assert_eq(keys_write(path, &first, false, &err), 0);
    cr_expect_eq(keys_write(path, &second, false, &err), KEYS_ERR_EXISTS);
    cr_assert_not_null(err);
    cr_expect_not_null(strstr(err, path), "%s", err);
    cr_expect_not_null(strstr(err, "--force"), "%s", err);
    free(err);
    err = NULL;
    cr_assert_eq(keys_read_pair(path, &back, &err), 0);
    cr_expect_str_eq(back.public_z85, first.public_z85, "the old pair was kept");
    cr_assert_eq(keys_write(path, &second, true, &err), 0, "%s", err);
    cr_assert_eq(keys_read_pair(path, &back, &err), 0);
    cr_expect_str_eq(back.secret_z85, second.secret_z85, "--force replaced it");
    cr_expect_eq(s_mode(path), 0600);
    keys_z85_t pub;
    cr_assert_eq(keys_read_public(s_path("w.key.pub"), pub, &err), 0);
    cr_expect_str_eq(pub, second.public_z85);
}

Test(keys, an_existing_pub_file_alone_blocks_too) {
    keys_pair_t k;
    char *err = NULL;
    cr_assert_eq(keys_generate(&k, &err), 0);
    s_write(s_path("x.key.pub"), "precious\n");
    cr_expect_eq(keys_write(s_path("x.key"), &k, false, &err), KEYS_ERR_EXISTS);
    cr_expect_not_null(strstr(err, "x.key.pub already exists"), "%s", err);
    free(err);
    cr_expect_neq(access(s_path("x.key"), F_OK), 0, "nothing was written");
}

Test(keys, write_errors) {
    keys_pair_t k;
    char *err = NULL;
    cr_assert_eq(keys_generate(&k, &err), 0);
    cr_expect_eq(keys_write(s_path("m.pub"), &k, false, &err), KEYS_ERR_EXISTS);
    cr_expect_not_null(strstr(err, "without .pub"), "%s", err);
    free(err);
    err = NULL;
    char *path = s_path("no/such/dir/m.key");
    cr_expect_eq(keys_write(path, &k, false, &err), -1);
    cr_expect_not_null(strstr(err, "cannot write"), "%s", err);
    cr_expect_not_null(strstr(err, path), "%s", err);
    free(err);
}

Test(keys, comments_blanks_quotes_and_crlf_are_fine) {
    keys_pair_t k;
    char *err = NULL;
    cr_assert_eq(keys_generate(&k, &err), 0);
    char text[512];
    snprintf(text, sizeof text,
             "# a comment\r\n\r\n   # indented comment\n  public-key =   \"%s\"  \r\n"
             "secret-key=%s",
             k.public_z85, k.secret_z85);
    s_write(s_path("hand.key"), text);
    keys_pair_t back;
    cr_assert_eq(keys_read_pair(s_path("hand.key"), &back, &err), 0, "%s", err);
    cr_expect_str_eq(back.public_z85, k.public_z85);
    cr_expect_str_eq(back.secret_z85, k.secret_z85);
}

Test(keys, bad_files_name_the_file_and_line) {
    keys_pair_t k;
    char *err = NULL;
    cr_assert_eq(keys_generate(&k, &err), 0);
    char text[512];
    struct {
        const char *name, *text, *want;
    } cases[] = {
        {"empty.pub", "", "no public-key line"},
        {"comments.pub", "# nothing\n\n", "no public-key line"},
        {"short.pub", "public-key = abc\n", "short.pub:1: the public-key is not a Z85 key"},
        {"badchar.pub", "# x\n\npublic-key = ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n",
         "badchar.pub:3: the public-key is not a Z85 key"},
        {"overflow.pub", "public-key = ########################################\n",
         "overflow.pub:1: the public-key is not a Z85 key"},
        {"name.pub", "pubkey = x\n", "name.pub:1: unknown name 'pubkey'"},
        {"prose.pub", "hello there\n", "prose.pub:1: expected 'public-key = KEY'"},
        {"twice.pub", NULL, "twice.pub:2: a second public-key line"},
        {"nul.pub", NULL, "contains NUL bytes"},
    };
    snprintf(text, sizeof text, "public-key = %s\npublic-key = %s\n", k.public_z85, k.public_z85);
    cases[7].text = text;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].text) s_write(s_path(cases[i].name), cases[i].text);
    }
    FILE *f = fopen(s_path("nul.pub"), "w");
    fwrite("public-key = \0\n", 1, 15, f);
    fclose(f);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        s_expect_public_error(s_path(cases[i].name), cases[i].want);
    }
    s_expect_public_error(s_path("missing.pub"), "cannot read");
    s_expect_public_error(s_dir, "is a directory");
}

Test(keys, a_pair_needs_its_secret_and_a_match) {
    keys_pair_t a, b, out;
    char *err = NULL;
    cr_assert_eq(keys_generate(&a, &err), 0);
    cr_assert_eq(keys_generate(&b, &err), 0);
    cr_assert_eq(keys_write(s_path("a.key"), &a, false, &err), 0);
    char *pub = s_path("a.key.pub");
    cr_expect_eq(keys_read_pair(pub, &out, &err), -1);
    cr_expect_not_null(strstr(err, "a.key.pub: no secret-key line"), "%s", err);
    free(err);
    err = NULL;
    char text[256];
    snprintf(text, sizeof text, "public-key = %s\nsecret-key = %s\n", a.public_z85, b.secret_z85);
    s_write(s_path("mixed.key"), text);
    cr_expect_eq(keys_read_pair(s_path("mixed.key"), &out, &err), -1);
    cr_expect_not_null(strstr(err, "mixed.key: the public-key does not belong to the secret-key"),
                       "%s", err);
    free(err);
    err = NULL;
    snprintf(text, sizeof text, "public-key = %s\nsecret-key = nope\n", a.public_z85);
    s_write(s_path("badsecret.key"), text);
    cr_expect_eq(keys_read_pair(s_path("badsecret.key"), &out, &err), -1);
    cr_expect_not_null(strstr(err, "badsecret.key:2: the secret-key is not a Z85 key"), "%s", err);
    cr_expect_null(strstr(err, "nope"), "secret values are never echoed: %s", err);
    free(err);
}

Test(keys, list_from_files_and_directories) {
    keys_pair_t a, b, c;
    char *err = NULL;
    cr_assert_eq(keys_generate(&a, &err), 0);
    cr_assert_eq(keys_generate(&b, &err), 0);
    cr_assert_eq(keys_generate(&c, &err), 0);
    cr_assert_eq(mkdir(s_path("workers"), 0755), 0);
    cr_assert_eq(keys_write(s_path("workers/a.key"), &a, false, &err), 0);
    cr_assert_eq(keys_write(s_path("workers/b.key"), &b, false, &err), 0);
    s_write(s_path("workers/.hidden.pub"), "not even a key\n");
    s_write(s_path("workers/notes.txt"), "ignored\n");
    cr_assert_eq(keys_write(s_path("c.key"), &c, false, &err), 0);

    keys_list_t l;
    keys_list_init(&l);
    cr_assert_eq(keys_list_load(&l, s_path("workers"), &err), 0, "%s", err);
    cr_expect_eq(l.n, 2, "only the *.pub files of the directory");
    cr_expect(keys_list_contains(&l, a.public_z85));
    cr_expect(keys_list_contains(&l, b.public_z85));
    cr_expect(!keys_list_contains(&l, c.public_z85));
    cr_assert_eq(keys_list_load(&l, s_path("c.key.pub"), &err), 0, "%s", err);
    cr_expect(keys_list_contains(&l, c.public_z85));
    keys_list_add(&l, a.public_z85);
    cr_expect_eq(l.n, 3, "no duplicates");
    keys_list_fini(&l);
    cr_expect_eq(l.n, 0);
}

Test(keys, list_errors_name_the_path) {
    keys_list_t l;
    keys_list_init(&l);
    char *err = NULL;
    cr_assert_eq(mkdir(s_path("empty"), 0755), 0);
    cr_expect_eq(keys_list_load(&l, s_path("empty"), &err), -1);
    cr_expect_not_null(strstr(err, "empty: no *.pub files"), "%s", err);
    free(err);
    err = NULL;
    cr_expect_eq(keys_list_load(&l, s_path("nowhere"), &err), -1);
    cr_expect_not_null(strstr(err, "cannot read"), "%s", err);
    cr_expect_not_null(strstr(err, "nowhere"), "%s", err);
    free(err);
    err = NULL;
    cr_assert_eq(mkdir(s_path("some"), 0755), 0);
    s_write(s_path("some/broken.pub"), "public-key = 123\n");
    cr_expect_eq(keys_list_load(&l, s_path("some"), &err), -1);
    cr_expect_not_null(strstr(err, "some/broken.pub:1:"), "%s", err);
    free(err);
    cr_expect_eq(l.n, 0);
    keys_list_fini(&l);
}
