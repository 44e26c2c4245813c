/* local: spawning and reaping local barrage-worker processes. */
#include "master/local.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/xmalloc.h"

char *local_worker_path(void) {
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash) {
            char *path = xasprintf("%.*s/barrage-worker", (int)(slash - self), self);
            if (access(path, X_OK) == 0) return path;
            free(path);
        }
    }
    return xstrdup("barrage-worker");
}

int local_spawn(local_workers_t *lw, size_t n, const char *worker_path, const char *endpoint,
                const char *log_level, const char *key_path) {
    lw->pids = xcalloc(n ? n : 1, sizeof *lw->pids);
    lw->n = 0;
    pid_t parent = getpid();
    for (size_t i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            log_error("fork: %s (%s:%d)", strerror(errno), __FILE__, __LINE__);
            return -1;
        }
        if (pid == 0) {
            /* Die with the master, even if it is killed with -9. */
            if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) {
                fprintf(stderr, "barrage: error: prctl(PR_SET_PDEATHSIG): %s (%s:%d)\n",
                        strerror(errno), __FILE__, __LINE__);
                _exit(127);
            }
            if (getppid() != parent) _exit(3);
            char id[64];
            snprintf(id, sizeof id, "local-%ld-%zu", (long)parent, i);
            const char *argv[] = {worker_path, "--master",   endpoint, "--id",   id,
                                  "--log-level", log_level,  "--master-key", key_path,
                                  "--key",     key_path,   NULL};
            if (!key_path) argv[7] = NULL;
            execvp(worker_path, (char *const *)argv);
            fprintf(stderr, "barrage: error: cannot start %s: %s\n", worker_path, strerror(errno));
            _exit(127);
        }
        lw->pids[lw->n++] = pid;
    }
    return 0;
}

static size_t s_wait_all(local_workers_t *lw, uint64_t deadline_ms, size_t *bad) {
    size_t alive = 0;
    for (size_t i = 0; i < lw->n; i++) {
        if (lw->pids[i] <= 0) continue;
        int status;
        pid_t r = waitpid(lw->pids[i], &status, WNOHANG);
        if (r == lw->pids[i]) {
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) (*bad)++;
            lw->pids[i] = 0;
        } else if (r < 0) {
            /* Not our child (any more): nothing left to wait for. */
            log_error("waitpid(%ld): %s (%s:%d)", (long)lw->pids[i], strerror(errno), __FILE__,
                      __LINE__);
            (*bad)++;
            lw->pids[i] = 0;
        } else {
            alive++;
        }
    }
    if (alive && clock_now_ms() < deadline_ms) {
        struct timespec ts = {0, 20 * 1000 * 1000};
        /* An early wake (EINTR) only means an earlier look. */
        if (nanosleep(&ts, NULL) != 0 && errno != EINTR) {
            log_error("nanosleep: %s (%s:%d)", strerror(errno), __FILE__, __LINE__);
        }
    }
    return alive;
}

static void s_signal_all(local_workers_t *lw, int sig) {
    for (size_t i = 0; i < lw->n; i++) {
        if (lw->pids[i] > 0 && kill(lw->pids[i], sig) != 0) {
            log_error("kill(%ld, %d): %s (%s:%d)", (long)lw->pids[i], sig, strerror(errno),
                      __FILE__, __LINE__);
        }
    }
}

size_t local_reap(local_workers_t *lw, unsigned timeout_ms) {
    size_t bad = 0;
    uint64_t deadline = clock_now_ms() + timeout_ms;
    while (s_wait_all(lw, deadline, &bad) && clock_now_ms() < deadline) {
    }
    s_signal_all(lw, SIGTERM);
    deadline = clock_now_ms() + 1000;
    size_t left;
    while ((left = s_wait_all(lw, deadline, &bad)) && clock_now_ms() < deadline) {
    }
    if (left) {
        s_signal_all(lw, SIGKILL);
        bad += left;
        for (size_t i = 0; i < lw->n; i++) {
            if (lw->pids[i] > 0 && waitpid(lw->pids[i], NULL, 0) < 0) {
                log_error("waitpid(%ld): %s (%s:%d)", (long)lw->pids[i], strerror(errno),
                          __FILE__, __LINE__);
            }
        }
    }
    free(lw->pids);
    lw->pids = NULL;
    lw->n = 0;
    return bad;
}
