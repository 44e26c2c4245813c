/* web_fixture: serves a JSON result (report_json_read) as a stopped run's
 * snapshot on barrage's web side, prints the URL on stdout, then prints each
 * command taken from the queue as one line (answering each start as
 * started, on the form's host or the result's), until SIGTERM or SIGINT.
 * Usage: web_fixture RESULT.json [--addr HOST:PORT] [--auth USER:PASS] [--insecure] */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/xmalloc.h"
#include "report/report_json.h"
#include "web/web.h"

static volatile sig_atomic_t s_stop;

static void s_on_signal(int sig) {
    (void)sig;
    s_stop = 1;
}

static void s_print(const web_cmd_t *c) {
    if (c->type == WEB_CMD_SWARM)
        printf("swarm users=%u spawn_rate=%g host=%s run_time_ms=%llu\n", c->users, c->spawn_rate,
               c->host ? c->host : "-", (unsigned long long)c->run_time_ms);
    else
        printf("%s\n", c->type == WEB_CMD_STOP ? "stop" : "reset");
    fflush(stdout);
}

int main(int argc, char **argv) {
    web_opts_t o = {.addr = "127.0.0.1:0"};
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--addr") == 0 && i + 1 < argc)
            o.addr = argv[++i];
        else if (strcmp(argv[i], "--auth") == 0 && i + 1 < argc)
            o.auth = argv[++i];
        else if (strcmp(argv[i], "--insecure") == 0)
            o.insecure = true;
        else
            path = argv[i];
    }
    if (!path) {
        fprintf(stderr, "usage: web_fixture RESULT.json [--addr A] [--auth U:P] [--insecure]\n");
        return 2;
    }
    char *err = NULL;
    report_t *r = report_json_read(path, &err);
    if (!r) {
        fprintf(stderr, "web_fixture: %s\n", err);
        return 1;
    }
    web_t *w = web_new(&o, &err);
    if (!w) {
        fprintf(stderr, "web_fixture: error: %s\n", err);
        free(err);
        report_destroy(&r);
        return 1;
    }
    size_t n = results_count(r->results) + 1;
    web_snapshot_t *s = xcalloc(1, sizeof *s);
    s->state = "stopped";
    s->workers = (uint32_t)r->n_workers;
    s->dropped = results_dropped(r->results);
    s->report = r;
    s->current_rps = xcalloc(n, sizeof(double));
    s->current_fail_per_sec = xcalloc(n, sizeof(double));
    s->n_rates = n;
    web_publish(w, &s);
    signal(SIGTERM, s_on_signal);
    signal(SIGINT, s_on_signal);
    printf("%s\n", web_url(w));
    fflush(stdout);
    while (!s_stop) {
        web_cmd_t c;
        while (web_take_command(w, &c)) {
            s_print(&c);
            /* As the master does: started, on the form's host or the run's. */
            if (c.type == WEB_CMD_SWARM)
                web_answer(w, c.id, WEB_ANSWER_DONE, NULL, c.host ? c.host : r->host);
            web_cmd_fini(&c);
        }
        struct timespec ts = {0, 20L * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    web_destroy(&w);
    return 0;
}
