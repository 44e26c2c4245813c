/* webglue: web commands into the conduct core, snapshots out. */
#include "master/webglue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "master/snapshot.h"
#include "web/web.h"

/* The master's log lines the Logs tab shows. */
#define WEBGLUE_LOG_LINES 200

struct webglue {
    web_t *web;
    const cli_opts_t *o;
    const conduct_opts_t *co;
    runplan_t **plan;
    uint32_t n_workers;
    uint64_t last_publish_us;
    const char *last_state; /* static words (snapshot_state_name) */
    uint32_t last_run_id;
    char *errors; /* the last reload's errors (a start refused), or NULL */
};

webglue_t *webglue_new(const cli_opts_t *o, const conduct_opts_t *co, runplan_t **plan,
                       uint32_t n_workers, char **err) {
    web_opts_t wo = {.addr = o->web_addr,
                     .auth = o->web_auth,
                     .insecure = o->insecure,
                     .results_dir = o->results_dir};
    /* Before the web side's threads start: log_write reads the setting unlocked. */
    log_keep_recent(WEBGLUE_LOG_LINES, LOG_LEVEL_INFO);
    web_t *web = web_new(&wo, err);
    if (!web) {
        log_keep_recent(0, LOG_LEVEL_INFO);
        return NULL;
    }
    webglue_t *g = xcalloc(1, sizeof *g);
    *g = (webglue_t){.web = web, .o = o, .co = co, .plan = plan, .n_workers = n_workers};
    return g;
}

void webglue_destroy(webglue_t **gp) {
    if (!gp || !*gp) return;
    web_destroy(&(*gp)->web);
    free((*gp)->errors);
    free(*gp);
    *gp = NULL;
}

void webglue_add_run(webglue_t *g, const report_t *r) {
    report_t *copy = report_clone(r);
    web_add_run(g->web, &copy);
}

const char *webglue_url(const webglue_t *g) {
    return web_url(g->web);
}

/* The text of the refusal the core just queued (the last one), or a default. */
static const char *s_refusal(const conduct_t *core) {
    for (size_t i = conduct_outputs(core); i-- > 0;) {
        const conduct_out_t *out = conduct_output(core, i);
        if (out->kind == CONDUCT_COMMAND_REFUSED && out->text) return out->text;
    }
    return "refused";
}

/* Reloads the scenario for a start; NULL with g->errors (and the log) saying
 * why. */
static runplan_t *s_reload(webglue_t *g) {
    char *text = NULL;
    size_t len = 0;
    FILE *err = open_memstream(&text, &len);
    if (!err) xfatal("open_memstream");
    runplan_t *next = runplan_load(g->o, g->n_workers, err);
    if (fclose(err) != 0) xfatal("fclose(open_memstream)");
    free(g->errors);
    g->errors = NULL;
    if (len && text[len - 1] == '\n') text[--len] = '\0';
    if (!next) {
        log_error("start refused: %s no longer loads; nothing started:\n%s", g->o->scenario,
                  text);
        g->errors = text;
        return NULL;
    }
    if (len) log_warn("%s", text);
    free(text);
    return next;
}

/* A SWARM: with no run in flight the scenario is loaded again and the run
 * starts on it (with only the classes the form picked); while running it is
 * an edit of the run (no reload). Always answered. */
static void s_swarm(webglue_t *g, conduct_t *core, const web_cmd_t *cmd, uint64_t now_us) {
    conduct_swarm_t s = {.users = cmd->users,
                         .spawn_rate = cmd->spawn_rate,
                         .host = cmd->host,
                         .run_time_ms = cmd->run_time_ms};
    runplan_t *next = NULL;
    conduct_opts_t plan_opts = *g->co;
    char *why = NULL;
    if (conduct_idle(core)) {
        next = s_reload(g);
        if (!next) {
            web_answer(g->web, cmd->id, WEB_ANSWER_INVALID, g->errors, NULL);
            return;
        }
        if (runplan_pick_classes(next, (const char *const *)cmd->classes, cmd->n_classes,
                                 &why) != 0) {
            log_warn("start refused: %s", why);
            web_answer(g->web, cmd->id, WEB_ANSWER_INVALID, why, NULL);
            free(why);
            runplan_destroy(&next);
            return;
        }
        runplan_apply(next, g->o, &plan_opts);
        s.plan = &plan_opts;
    }
    conduct_swarm_rc_t rc = conduct_on_swarm(core, &s, now_us);
    if (rc == CONDUCT_SWARM_REFUSED) {
        web_answer(g->web, cmd->id, WEB_ANSWER_REFUSED, s_refusal(core), NULL);
    } else {
        if (next) { /* the core now runs on next */
            runplan_destroy(g->plan);
            *g->plan = next;
            next = NULL;
        }
        /* An edit keeps the run's host whatever the form says. */
        web_answer(g->web, cmd->id, WEB_ANSWER_DONE, NULL, conduct_run_host(core));
    }
    runplan_destroy(&next);
}

static void s_commands(webglue_t *g, conduct_t *core, uint64_t now_us) {
    web_cmd_t cmd;
    while (web_take_command(g->web, &cmd)) {
        switch (cmd.type) {
        case WEB_CMD_SWARM:
            s_swarm(g, core, &cmd, now_us);
            break;
        case WEB_CMD_STOP:
            conduct_on_stop(core, now_us);
            break;
        case WEB_CMD_RESET:
            conduct_on_reset(core, now_us);
            break;
        }
        web_cmd_fini(&cmd);
    }
}

void webglue_round(void *arg, conduct_t *core, uint64_t now_us) {
    webglue_t *g = arg;
    s_commands(g, core, now_us);
    const char *state = snapshot_state_name(conduct_state(core, now_us));
    bool changed = state != g->last_state || conduct_run_id(core) != g->last_run_id;
    if (!changed && now_us < g->last_publish_us + 1000000u) return;
    web_snapshot_t *s = snapshot_build(core, now_us);
    s->scenario = snapshot_scenario(*g->plan, g->o, g->errors);
    s->n_logs = log_recent(&s->logs);
    web_publish(g->web, &s);
    web_snapshot_free(&s); /* NULL after a publish: nothing left to free */
    g->last_publish_us = now_us;
    g->last_state = state;
    g->last_run_id = conduct_run_id(core);
}
