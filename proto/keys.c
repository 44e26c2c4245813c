/* keys: CURVE key files — generation, the key file format, allowed-key lists. */
#include "proto/keys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include "common/file.h"
#include "common/xmalloc.h"

/* A key file is a few lines; anything much bigger is not one. */
#define KEYS_MAX_FILE_BYTES ((size_t)64 * 1024)

bool keys_available(void) {
    return zmq_has("curve") != 0;
}

int keys_generate(keys_pair_t *out, char **err) {
    if (!keys_available() || zmq_curve_keypair(out->public_z85, out->secret_z85) != 0) {
        *err = xstrdup("this libzmq has no CURVE support (it must be built with libsodium)");
        return -1;
    }
    return 0;
}

/* --- reading --- */

/* Reads a whole regular file as NUL-terminated text. Returns NULL with *err. */
static char *s_read_text(const char *path, char **err) {
    struct stat st;
    /* A FIFO or a device would make file_read wait or read forever: refuse them first. */
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        *err = xasprintf("%s is not a regular file", path);
        return NULL;
    }
    size_t len = 0;
    char *text = file_read(path, KEYS_MAX_FILE_BYTES, &len);
    if (!text) {
        if (errno == EISDIR)
            *err = xasprintf("%s is a directory, not a key file", path);
        else if (errno == EFBIG)
            *err = xasprintf("%s is too large to be a key file (over %zu bytes)", path,
                             (size_t)KEYS_MAX_FILE_BYTES);
        else
            *err = xasprintf("cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    if (memchr(text, '\0', len)) {
        *err = xasprintf("%s is not a text key file (it contains NUL bytes)", path);
        free(text);
        return NULL;
    }
    return text;
}

static bool s_blank(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\r';
}

/* Trims blanks around [*s, *e) in place. */
static void s_trim(const char **s, const char **e) {
    while (*s < *e && s_blank(**s))
        (*s)++;
    while (*e > *s && s_blank((*e)[-1]))
        (*e)--;
}

/* True if [s, e) is a canonical Z85 key; copies it to out. */
static bool s_z85_key(const char *s, const char *e, keys_z85_t out) {
    if (e - s != KEYS_Z85_LEN) return false;
    memcpy(out, s, KEYS_Z85_LEN);
    out[KEYS_Z85_LEN] = '\0';
    uint8_t bin[32];
    keys_z85_t again;
    /* Decoding then encoding again rejects bad characters and the
     * overflowing spellings that would decode to another key's bytes. */
    return zmq_z85_decode(bin, out) && zmq_z85_encode(again, bin, sizeof bin) &&
           strcmp(again, out) == 0;
}

typedef struct {
    keys_z85_t public_z85, secret_z85;
    bool has_public, has_secret;
} s_parsed_t;

/* Parses one non-blank, non-comment line [s, e). Returns 0, or -1 with *err. */
static int s_parse_line(const char *path, int line, const char *s, const char *e, s_parsed_t *p,
                        char **err) {
    const char *eq = memchr(s, '=', (size_t)(e - s));
    if (!eq) {
        *err = xasprintf("%s:%d: expected 'public-key = KEY' or 'secret-key = KEY'", path, line);
        return -1;
    }
    const char *ns = s, *ne = eq, *vs = eq + 1, *ve = e;
    s_trim(&ns, &ne);
    s_trim(&vs, &ve);
    if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') vs++, ve--;
    bool is_public = (size_t)(ne - ns) == 10 && memcmp(ns, "public-key", 10) == 0;
    bool is_secret = (size_t)(ne - ns) == 10 && memcmp(ns, "secret-key", 10) == 0;
    if (!is_public && !is_secret) {
        *err = xasprintf("%s:%d: unknown name '%.*s' (expected public-key or secret-key)", path,
                         line, (int)(ne - ns), ns);
        return -1;
    }
    const char *name = is_public ? "public-key" : "secret-key";
    if (is_public ? p->has_public : p->has_secret) {
        *err = xasprintf("%s:%d: a second %s line", path, line, name);
        return -1;
    }
    if (!s_z85_key(vs, ve, is_public ? p->public_z85 : p->secret_z85)) {
        *err = xasprintf("%s:%d: the %s is not a Z85 key (40 characters of the Z85 alphabet; "
                         "got %d characters)",
                         path, line, name, (int)(ve - vs));
        return -1;
    }
    *(is_public ? &p->has_public : &p->has_secret) = true;
    return 0;
}

static int s_parse_file(const char *path, s_parsed_t *p, char **err) {
    *p = (s_parsed_t){0};
    char *text = s_read_text(path, err);
    if (!text) return -1;
    int rc = 0, line = 0;
    for (const char *s = text; *s && rc == 0;) {
        const char *nl = strchr(s, '\n');
        const char *e = nl ? nl : s + strlen(s);
        const char *ts = s, *te = e;
        line++;
        s_trim(&ts, &te);
        if (ts < te && *ts != '#') rc = s_parse_line(path, line, ts, te, p, err);
        s = nl ? nl + 1 : e;
    }
    free(text);
    if (rc == 0 && !p->has_public) {
        *err =
            xasprintf("%s: no public-key line (is it a key file written by barrage keygen?)", path);
        rc = -1;
    }
    return rc;
}

int keys_read_pair(const char *path, keys_pair_t *out, char **err) {
    s_parsed_t p;
    if (s_parse_file(path, &p, err) != 0) return -1;
    if (!p.has_secret) {
        *err = xasprintf("%s: no secret-key line: this is a public key; give the key pair "
                         "file that barrage keygen wrote beside it (the name without .pub)",
                         path);
        return -1;
    }
    keys_z85_t derived;
    if (zmq_curve_public(derived, p.secret_z85) != 0) {
        *err = xasprintf("%s: cannot check the key pair: this libzmq has no CURVE support", path);
        return -1;
    }
    if (strcmp(derived, p.public_z85) != 0) {
        *err = xasprintf("%s: the public-key does not belong to the secret-key", path);
        return -1;
    }
    memcpy(out->public_z85, p.public_z85, sizeof out->public_z85);
    memcpy(out->secret_z85, p.secret_z85, sizeof out->secret_z85);
    return 0;
}

int keys_read_public(const char *path, keys_z85_t out, char **err) {
    s_parsed_t p;
    if (s_parse_file(path, &p, err) != 0) return -1;
    memcpy(out, p.public_z85, sizeof p.public_z85);
    return 0;
}

/* --- writing --- */

static int s_write_all(int fd, const char *text) {
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t n = write(fd, text + off, len - off);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        off += (size_t)n;
    }
    return 0;
}

/* Puts a file with exactly this mode at path: written to a temporary beside
 * it, then renamed over path (force) or hard-linked to it, which fails if
 * path exists, so no other file is ever replaced by accident. */
static int s_write_file(const char *path, const char *text, mode_t mode, bool force, char **err) {
    char *tmp = xasprintf("%s.tmp-%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    int rc = -1;
    if (fd < 0) {
        *err = xasprintf("cannot write %s: %s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    /* fchmod: the umask must not loosen nor tighten the documented modes. */
    if (fchmod(fd, mode) != 0 || s_write_all(fd, text) != 0 || fsync(fd) != 0) {
        *err = xasprintf("cannot write %s: %s", path, strerror(errno));
        close(fd);
    } else if (close(fd) != 0) {
        *err = xasprintf("cannot write %s: %s", path, strerror(errno));
    } else if (force) {
        rc = rename(tmp, path);
        if (rc != 0) *err = xasprintf("cannot write %s: %s", path, strerror(errno));
    } else if ((rc = link(tmp, path)) != 0) {
        bool exists = errno == EEXIST;
        *err = exists ? xasprintf("%s already exists: pass --force to replace it", path)
                      : xasprintf("cannot write %s: %s", path, strerror(errno));
        if (exists) rc = KEYS_ERR_EXISTS;
    }
    unlink(tmp);
    free(tmp);
    return rc;
}

static bool s_exists(const char *path) {
    struct stat st;
    return lstat(path, &st) == 0;
}

int keys_write(const char *path, const keys_pair_t *k, bool force, char **err) {
    size_t len = strlen(path);
    if (len >= 4 && strcmp(path + len - 4, ".pub") == 0) {
        *err = xasprintf("%s: name the key pair file without .pub (its public key goes to "
                         "PATH.pub)",
                         path);
        return KEYS_ERR_EXISTS;
    }
    char *pub = xasprintf("%s.pub", path);
    if (!force && (s_exists(path) || s_exists(pub))) {
        *err = xasprintf("%s already exists: pass --force to replace it (whoever uses the old "
                         "key will be refused)",
                         s_exists(path) ? path : pub);
        free(pub);
        return KEYS_ERR_EXISTS;
    }
    char *pair = xasprintf("# barrage CURVE key pair, written by barrage keygen.\n"
                           "# Keep this file secret. Give others the .pub file written beside "
                           "it, never this one.\n"
                           "public-key = %s\n"
                           "secret-key = %s\n",
                           k->public_z85, k->secret_z85);
    char *one = xasprintf("# barrage CURVE public key, written by barrage keygen.\n"
                          "public-key = %s\n",
                          k->public_z85);
    int rc = s_write_file(path, pair, 0600, force, err);
    if (rc == 0) {
        rc = s_write_file(pub, one, 0644, force, err);
        /* Leave no half-made pair behind. */
        if (rc != 0 && !force) unlink(path);
    }
    /* The secret leaves memory with the buffer. */
    explicit_bzero(pair, strlen(pair));
    free(pair);
    free(one);
    free(pub);
    return rc;
}

/* --- allowed keys --- */

void keys_list_init(keys_list_t *l) {
    *l = (keys_list_t){0};
}

void keys_list_fini(keys_list_t *l) {
    free(l->items);
    *l = (keys_list_t){0};
}

void keys_list_add(keys_list_t *l, const char *z85) {
    if (keys_list_contains(l, z85)) return;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    snprintf(l->items[l->n++], sizeof(keys_z85_t), "%s", z85);
}

bool keys_list_contains(const keys_list_t *l, const char *z85) {
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->items[i], z85) == 0) return true;
    }
    return false;
}

static int s_by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of the *.pub files in dir, sorted (caller frees each and the array). */
static char **s_pub_names(const char *dir, size_t *n, char **err) {
    DIR *d = opendir(dir);
    if (!d) {
        *err = xasprintf("cannot read %s: %s", dir, strerror(errno));
        return NULL;
    }
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(ent->d_name);
        if (ent->d_name[0] == '.' || len <= 4 || strcmp(ent->d_name + len - 4, ".pub") != 0) {
            continue;
        }
        if (*n == cap) names = xrealloc(names, (cap = cap ? cap * 2 : 8) * sizeof *names);
        names[(*n)++] = xstrdup(ent->d_name);
    }
    closedir(d);
    if (*n) qsort(names, *n, sizeof *names, s_by_name);
    return names ? names : xcalloc(1, sizeof *names);
}

static int s_load_dir(keys_list_t *l, const char *dir, char **err) {
    size_t n = 0;
    char **names = s_pub_names(dir, &n, err);
    if (!names) return -1;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            char *path = xasprintf("%s/%s", dir, names[i]);
            keys_z85_t key;
            rc = keys_read_public(path, key, err);
            if (rc == 0) keys_list_add(l, key);
            free(path);
        }
        free(names[i]);
    }
    free(names);
    if (rc == 0 && n == 0) {
        *err = xasprintf("%s: no *.pub files in this directory", dir);
        rc = -1;
    }
    return rc;
}

int keys_list_load(keys_list_t *l, const char *path, char **err) {
    struct stat st;
    if (stat(path, &st) != 0) {
        *err = xasprintf("cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) return s_load_dir(l, path, err);
    keys_z85_t key;
    if (keys_read_public(path, key, err) != 0) return -1;
    keys_list_add(l, key);
    return 0;
}
