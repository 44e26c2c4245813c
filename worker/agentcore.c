/* agentcore: the worker agent's state machine, pure (see agentcore.h). */
#include "worker/agentcore.h"

#include "worker/agent.h"

static void s_start_waiting(agentcore_t *c, uint64_t now_us) {
    c->state = AGENTCORE_WAITING;
    c->run_id = 0;
    c->waiting_since_us = now_us;
    c->next_warn_us = now_us + AGENT_NO_MASTER_WARN_MS * 1000ull;
    c->warn_gap_ms = AGENT_NO_MASTER_WARN_MS * 2;
}

void agentcore_init(agentcore_t *c, uint32_t heartbeat_ms, uint32_t master_timeout_ms,
                    uint64_t now_us) {
    *c = (agentcore_t){.heartbeat_ms = heartbeat_ms,
                       .master_timeout_ms = master_timeout_ms,
                       .last_master_us = now_us,
                       .next_beat_us = now_us};
    s_start_waiting(c, now_us);
}

static bool s_in_run(const agentcore_t *c) {
    return c->state == AGENTCORE_RUNNING || c->state == AGENTCORE_STOPPING;
}

static agentcore_out_t s_exit(agentcore_t *c, unsigned actions, agentcore_note_t note, int code) {
    c->quitting = true;
    return (agentcore_out_t){.actions = actions | AGENTCORE_EXIT, .note = note, .exit_code = code};
}

static agentcore_out_t s_on_run(agentcore_t *c, uint32_t run_id) {
    agentcore_out_t out = {0};
    if (c->state == AGENTCORE_WAITING) {
        out.note = AGENTCORE_NOTE_NOT_JOINED;
    } else if (c->quitting) {
        out.note = AGENTCORE_NOTE_QUITTING;
    } else if (s_in_run(c) && c->run_id == run_id) {
        out.note = AGENTCORE_NOTE_DUPLICATE_RUN;
    } else {
        if (s_in_run(c)) {
            out.actions |= AGENTCORE_DROP_RUN;
            out.note = AGENTCORE_NOTE_RUN_REPLACED;
        }
        out.actions |= AGENTCORE_START_RUN;
        c->state = AGENTCORE_RUNNING;
        c->run_id = run_id;
    }
    return out;
}

/* STOP and USERS act only on the running run: before a WELCOME, or for
 * another run, they are noted and ignored. True if run_id is the run served. */
static bool s_for_the_run(const agentcore_t *c, uint32_t run_id, agentcore_out_t *out) {
    if (c->state == AGENTCORE_WAITING) {
        out->note = AGENTCORE_NOTE_NOT_JOINED;
        return false;
    }
    if (!s_in_run(c) || c->run_id != run_id) {
        out->note = AGENTCORE_NOTE_OTHER_RUN;
        return false;
    }
    return true;
}

static agentcore_out_t s_on_stop(agentcore_t *c, uint32_t run_id) {
    agentcore_out_t out = {0};
    if (s_for_the_run(c, run_id, &out) && c->state == AGENTCORE_RUNNING) {
        out.actions = AGENTCORE_STOP_RUN;
        c->state = AGENTCORE_STOPPING;
    } /* STOPPING: already draining */
    return out;
}

static agentcore_out_t s_on_users(agentcore_t *c, uint32_t run_id) {
    agentcore_out_t out = {0};
    if (s_for_the_run(c, run_id, &out) && c->state == AGENTCORE_RUNNING) {
        out.actions = AGENTCORE_SET_USERS;
    } /* STOPPING: no users start any more */
    return out;
}

static agentcore_out_t s_on_quit(agentcore_t *c) {
    c->quitting = true;
    agentcore_out_t out = {.note = AGENTCORE_NOTE_QUIT};
    if (c->state == AGENTCORE_RUNNING) {
        out.actions = AGENTCORE_STOP_RUN;
        c->state = AGENTCORE_STOPPING;
    } else if (c->state != AGENTCORE_STOPPING) {
        out = s_exit(c, 0, AGENTCORE_NOTE_QUIT, AGENT_EXIT_OK);
    } /* STOPPING: exit when the run is done */
    return out;
}

agentcore_out_t agentcore_on_message(agentcore_t *c, proto_type_t type, uint32_t run_id,
                                     uint64_t now_us) {
    c->last_master_us = now_us;
    switch (type) {
    case PROTO_WELCOME:
        if (c->state == AGENTCORE_WAITING) {
            c->state = AGENTCORE_IDLE;
            c->next_beat_us = now_us + (uint64_t)c->heartbeat_ms * 1000u;
        }
        return (agentcore_out_t){.actions = AGENTCORE_JOINED};
    case PROTO_REJECT:
        return s_exit(c, s_in_run(c) ? AGENTCORE_DROP_RUN : 0, AGENTCORE_NOTE_REFUSED,
                      AGENT_EXIT_RUNTIME);
    case PROTO_RUN:
        return s_on_run(c, run_id);
    case PROTO_STOP:
        return s_on_stop(c, run_id);
    case PROTO_USERS:
        return s_on_users(c, run_id);
    case PROTO_QUIT:
        return s_on_quit(c);
    case PROTO_HEARTBEAT:
        return (agentcore_out_t){0};
    default:
        return (agentcore_out_t){.note = AGENTCORE_NOTE_UNEXPECTED};
    }
}

/* The master is lost when nothing came from it for master_timeout_ms. */
static bool s_master_lost(const agentcore_t *c, uint64_t now_us) {
    return c->state != AGENTCORE_WAITING &&
           now_us >= c->last_master_us + (uint64_t)c->master_timeout_ms * 1000u;
}

agentcore_out_t agentcore_on_time(agentcore_t *c, uint64_t now_us) {
    agentcore_out_t out = {0};
    if (s_master_lost(c, now_us)) {
        out.note = AGENTCORE_NOTE_MASTER_LOST;
        if (s_in_run(c)) out.actions |= AGENTCORE_DROP_RUN;
        if (c->quitting) return s_exit(c, out.actions, out.note, AGENT_EXIT_OK);
        s_start_waiting(c, now_us);
        c->next_beat_us = now_us; /* say hello at once */
    }
    if (now_us >= c->next_beat_us) {
        if (c->state != AGENTCORE_WAITING) {
            out.actions |= AGENTCORE_SEND_HEARTBEAT;
        } else if (!c->link_down) {
            out.actions |= AGENTCORE_SEND_HELLO;
        }
        c->next_beat_us = now_us + (uint64_t)c->heartbeat_ms * 1000u;
    }
    if (c->state == AGENTCORE_WAITING && now_us >= c->next_warn_us) {
        out.actions |= AGENTCORE_WARN_UNANSWERED;
        out.waited_ms = (now_us - c->waiting_since_us) / 1000u;
        c->next_warn_us = now_us + (uint64_t)c->warn_gap_ms * 1000u;
        c->warn_gap_ms = c->warn_gap_ms * 2 > AGENT_NO_MASTER_MAX_GAP_MS
                             ? AGENT_NO_MASTER_MAX_GAP_MS
                             : c->warn_gap_ms * 2;
    }
    return out;
}

uint64_t agentcore_next_us(const agentcore_t *c) {
    uint64_t next = c->next_beat_us;
    if (c->state == AGENTCORE_WAITING) {
        if (c->next_warn_us < next) next = c->next_warn_us;
    } else {
        uint64_t lost = c->last_master_us + (uint64_t)c->master_timeout_ms * 1000u;
        if (lost < next) next = lost;
    }
    return next;
}

void agentcore_on_run_refused(agentcore_t *c) {
    if (c->state == AGENTCORE_RUNNING) {
        c->state = AGENTCORE_IDLE;
        c->run_id = 0;
    }
}

agentcore_out_t agentcore_on_run_done(agentcore_t *c) {
    if (s_in_run(c)) {
        c->state = AGENTCORE_IDLE;
        c->run_id = 0;
    }
    if (c->quitting) return s_exit(c, 0, AGENTCORE_NOTE_NONE, AGENT_EXIT_OK);
    return (agentcore_out_t){0};
}

agentcore_out_t agentcore_on_signal(agentcore_t *c, uint64_t now_us) {
    if (c->signalled && now_us >= c->signal_us &&
        now_us - c->signal_us < (uint64_t)AGENTCORE_SIGNAL_ECHO_MS * 1000u) {
        return (agentcore_out_t){.note = AGENTCORE_NOTE_SIGNAL_ECHO};
    }
    c->signalled = true;
    c->signal_us = now_us;
    agentcore_out_t out = {.note = AGENTCORE_NOTE_SIGNAL};
    if (c->state == AGENTCORE_RUNNING) {
        c->quitting = true;
        c->state = AGENTCORE_STOPPING;
        out.actions = AGENTCORE_STOP_RUN;
    } else if (c->state == AGENTCORE_STOPPING && !c->quitting) {
        c->quitting = true; /* the drain goes on; exit when it is done */
    } else {
        /* Idle, or a second signal during the drain: do not wait any longer. */
        out = s_exit(c, c->state == AGENTCORE_STOPPING ? AGENTCORE_DROP_RUN : 0,
                     AGENTCORE_NOTE_SIGNAL, AGENT_EXIT_OK);
    }
    return out;
}

void agentcore_set_link(agentcore_t *c, bool up) {
    c->link_down = !up;
}

const char *agentcore_state_name(agentcore_state_t s) {
    switch (s) {
    case AGENTCORE_WAITING:
        return "waiting";
    case AGENTCORE_IDLE:
        return "idle";
    case AGENTCORE_RUNNING:
        return "running";
    case AGENTCORE_STOPPING:
        return "stopping";
    }
    return "unknown";
}
