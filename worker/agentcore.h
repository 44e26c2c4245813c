/* agentcore: the worker agent's decisions as functions of (state, event, now)
 * that return actions — whether it has a master, which run it serves, when
 * it says hello or sends a heartbeat, when the master counts as lost, and
 * what each master message does in each state. No sockets, no clock, no
 * engine: worker/agent.c feeds it events and performs the actions it gets
 * back, in the order of their bits.
 *
 * States and the messages that move between them:
 *   WAITING  no master: HELLO every heartbeat interval (unless the link was
 *            refused and waits to reconnect), a warning at doubling gaps.
 *            WELCOME -> IDLE; REJECT and QUIT exit; RUN, STOP, USERS are
 *            ignored (a master speaks to a worker only after welcoming it).
 *   IDLE     welcomed, no run: HEARTBEATs. RUN -> RUNNING (START_RUN).
 *   RUNNING  RUN of another id replaces the run (DROP_RUN + START_RUN: the
 *            master has given up on the old one); the same id again is a
 *            duplicate and ignored. STOP of this run -> STOPPING (STOP_RUN);
 *            USERS of this run -> SET_USERS. STOP/USERS of another id: ignored.
 *   STOPPING the run drains towards its FINAL; STOP and USERS are moot.
 * In every state but WAITING, TIMEOUT_MASTER_LOST_MS (or the configured
 * timeout) without any message from the master means it is lost: the run is
 * dropped at once (DROP_RUN, never fire on our own) and the agent waits for a
 * master again. The run's end (agentcore_on_run_done) goes back to IDLE.
 * QUIT and SIGINT/SIGTERM stop the run and exit once it is done; a second
 * signal while that drain lasts exits at once, unless it comes within
 * AGENTCORE_SIGNAL_ECHO_MS of the first: then it is the same stop said twice
 * (a signal to the process group reaches a --processes child directly and
 * again forwarded by its parent; Ctrl-C too) and changes nothing. REJECT exits
 * with AGENT_EXIT_RUNTIME. */
#ifndef BARRAGE_WORKER_AGENTCORE_H
#define BARRAGE_WORKER_AGENTCORE_H

#include <stdbool.h>
#include <stdint.h>

/* A signal this soon after the previous one is the same stop said twice. */
#define AGENTCORE_SIGNAL_ECHO_MS 1000u

#include "proto/proto.h"

typedef enum {
    AGENTCORE_WAITING,
    AGENTCORE_IDLE,
    AGENTCORE_RUNNING,
    AGENTCORE_STOPPING,
} agentcore_state_t;

/* Actions, to perform in this order (lowest bit first). */
enum {
    AGENTCORE_DROP_RUN = 1u << 0,  /* destroy the engine: no FINAL */
    AGENTCORE_STOP_RUN = 1u << 1,  /* engine_stop: drain, FINAL, then agentcore_on_run_done */
    AGENTCORE_START_RUN = 1u << 2, /* engine_new from the RUN; if it fails, send REJECT
                                      and call agentcore_on_run_refused */
    AGENTCORE_SET_USERS = 1u << 3, /* engine_set_users from the USERS */
    AGENTCORE_JOINED = 1u << 4,    /* welcomed: take the worker index */
    AGENTCORE_SEND_HELLO = 1u << 5,
    AGENTCORE_SEND_HEARTBEAT = 1u << 6,
    AGENTCORE_WARN_UNANSWERED = 1u << 7, /* say that no master answered for out.waited_ms */
    AGENTCORE_EXIT = 1u << 8,            /* leave the loop with out.exit_code */
};

/* Why, for the log (the actions say what). */
typedef enum {
    AGENTCORE_NOTE_NONE,
    AGENTCORE_NOTE_MASTER_LOST,  /* silent for master_timeout_ms */
    AGENTCORE_NOTE_RUN_REPLACED, /* a RUN of another id while a run was active */
    AGENTCORE_NOTE_DUPLICATE_RUN,
    AGENTCORE_NOTE_OTHER_RUN,  /* STOP or USERS for a run that is not running here */
    AGENTCORE_NOTE_NOT_JOINED, /* RUN, STOP or USERS before a WELCOME */
    AGENTCORE_NOTE_QUITTING,   /* a RUN after QUIT or a signal */
    AGENTCORE_NOTE_REFUSED,    /* the master sent REJECT */
    AGENTCORE_NOTE_QUIT,       /* the master sent QUIT */
    AGENTCORE_NOTE_SIGNAL,
    AGENTCORE_NOTE_SIGNAL_ECHO, /* a signal within AGENTCORE_SIGNAL_ECHO_MS of the last */
    AGENTCORE_NOTE_UNEXPECTED, /* a message type a master does not send */
} agentcore_note_t;

typedef struct {
    unsigned actions; /* AGENTCORE_* bits */
    agentcore_note_t note;
    int exit_code;      /* with AGENTCORE_EXIT: an AGENT_EXIT_* code */
    uint64_t waited_ms; /* with AGENTCORE_WARN_UNANSWERED */
} agentcore_out_t;

/* Plain data; read it, change it only through the functions below. */
typedef struct {
    agentcore_state_t state;
    uint32_t run_id; /* RUNNING / STOPPING: the run */
    bool quitting;   /* QUIT or a signal: exit once the run is done */
    bool link_down;  /* libzmq gave up on the connection until it is made again */
    uint32_t heartbeat_ms, master_timeout_ms;
    uint64_t last_master_us; /* the last message from the master */
    uint64_t next_beat_us;   /* the next HELLO or HEARTBEAT */
    uint64_t waiting_since_us, next_warn_us;
    uint32_t warn_gap_ms;
    bool signalled;     /* a signal was taken, at signal_us */
    uint64_t signal_us;
} agentcore_t;

/* WAITING, with the first HELLO due at now_us. heartbeat_ms and
 * master_timeout_ms must be > 0. */
void agentcore_init(agentcore_t *c, uint32_t heartbeat_ms, uint32_t master_timeout_ms,
                    uint64_t now_us);

/* A message of type from the master; run_id is RUN's, STOP's or USERS's run
 * (0 for other types). */
agentcore_out_t agentcore_on_message(agentcore_t *c, proto_type_t type, uint32_t run_id,
                                     uint64_t now_us);
/* Time passed: heartbeats or hellos due, the master's silence, the warning
 * that no master answered. Call it at agentcore_next_us (earlier is harmless). */
agentcore_out_t agentcore_on_time(agentcore_t *c, uint64_t now_us);
/* When agentcore_on_time has something to do next. */
uint64_t agentcore_next_us(const agentcore_t *c);

/* START_RUN failed (the scenario did not load): back to IDLE. */
void agentcore_on_run_refused(agentcore_t *c);
/* The run's FINAL is out: back to IDLE, or EXIT when quitting. */
agentcore_out_t agentcore_on_run_done(agentcore_t *c);
/* SIGINT or SIGTERM at now_us. */
agentcore_out_t agentcore_on_signal(agentcore_t *c, uint64_t now_us);
/* The link is down (libzmq gave up: no HELLO until it is up) or up again. */
void agentcore_set_link(agentcore_t *c, bool up);

/* Static name of a state ("waiting", "idle", "running", "stopping"). */
const char *agentcore_state_name(agentcore_state_t s);

#endif
