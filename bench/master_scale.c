/* barrage-scale-sim: simulates a fleet of workers (one DEALER socket each, all in
 * this process) speaking the real protocol to a real `barrage master`, to measure
 * what merging their reports costs the master.
 *
 * Every simulated worker says HELLO, waits for RUN, then sends a STATS report
 * every report interval (the one RUN asks for) with --names rows, each carrying a
 * latency histogram of about --buckets non-empty buckets drawn from a log-normal
 * distribution (a few dozen buckets, like a real worker's 1 s delta), plus a
 * HEARTBEAT; on STOP it sends its FINAL report. No HTTP is sent anywhere.
 *
 * Reports are spread evenly over the interval (worker i reports at offset
 * i/N of it, as independently started workers do), or with --burst all at the
 * same instant. Given --master-pid, it reads the master's CPU time from /proc
 * during the run: total (all threads) and its main thread, and in --burst mode
 * the merge latency: from the first report of a burst sent to the master's main
 * thread idle again (asleep, using no CPU, for 20 ms).
 * Exit status: 0 ok, 2 usage, 3 runtime. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "common/clock.h"
#include "common/histogram.h"
#include "common/rng.h"
#include "common/xmalloc.h"
#include "proto/proto.h"
#include "proto/wire.h"

#define SIM_MAX_WORKERS 20000u
#define SIM_SLICE_US 10000u /* spread mode: reports go out in 10 ms slices */
#define SIM_IDLE_US 20000u  /* burst mode: master idle after 20 ms asleep without CPU */
/* Without a STOP this long after the run's duration, a worker stops by itself
 * (as the real engine does, TIMEOUT_SELF_STOP_GRACE_MS). */
#define SIM_SELF_STOP_GRACE_US 10000000u

typedef struct {
    const char *master;
    uint32_t workers, names, buckets;
    bool burst;
    long master_pid;
    uint32_t timeout_s;
} sim_opts_t;

typedef struct {
    void *sock;
    char id[48];
    bool welcomed, running, finished, quit;
    uint32_t run_id, seq, users;
    uint64_t next_report_us, self_stop_us;
    char *pending; /* encoded report about to be sent */
    size_t pending_bytes;
} sim_worker_t;

typedef struct {
    uint64_t wall_us, cpu_ns, main_ns;
} sim_sample_t;

typedef struct {
    const sim_opts_t *o;
    void *zctx;
    sim_worker_t *w;
    zmq_pollitem_t *items;
    rng_t rng;
    histogram_t **hist;
    proto_stat_t *rows;
    char **row_names;
    uint32_t interval_ms;
    uint64_t duration_ms;
    bool self_stopped; /* no STOP came in time: the master fell behind */
    uint32_t welcomed, running, finished;
    uint64_t sent_stats, sent_bytes, sent_heartbeats, received;
    uint64_t sent_requests; /* sum of the rows' request counts in every report sent */
    bool measuring;
    sim_sample_t run_start, run_stop;
    double *burst_ms, *burst_cpu_ms;
    uint32_t n_bursts, cap_bursts;
    uint32_t bursts_unfinished; /* the master was still busy when the next burst was due */
} sim_t;

/* --- the master's CPU time, from /proc --- */

/* CPU time of one task (ns on CPU, first field of schedstat); 0 when unreadable. */
static uint64_t s_task_ns(long pid, long tid) {
    char path[96];
    snprintf(path, sizeof path, "/proc/%ld/task/%ld/schedstat", pid, tid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    unsigned long long ns = 0;
    if (fscanf(f, "%llu", &ns) != 1) ns = 0;
    fclose(f);
    return ns;
}

/* utime + stime of the whole process (all threads) in ns, from /proc/PID/stat. */
static uint64_t s_process_ns(long pid) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* Fields after the command name (which may hold spaces) start past the last ')'. */
    const char *p = strrchr(buf, ')');
    unsigned long long utime = 0, stime = 0;
    if (!p ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
        return 0;
    long hz = sysconf(_SC_CLK_TCK);
    return (utime + stime) * (1000000000ull / (uint64_t)(hz > 0 ? hz : 100));
}

/* True if the task is running or waiting for a CPU (state R in /proc/PID/task/TID/stat). */
static bool s_task_runnable(long pid, long tid) {
    char path[96], buf[512];
    snprintf(path, sizeof path, "/proc/%ld/task/%ld/stat", pid, tid);
    FILE *f = fopen(path, "r");
    if (!f) return false;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    return p && p[1] == ' ' && p[2] == 'R';
}

static sim_sample_t s_sample(const sim_t *s) {
    sim_sample_t x = {.wall_us = clock_now_us()};
    if (s->o->master_pid > 0) {
        x.cpu_ns = s_process_ns(s->o->master_pid);
        x.main_ns = s_task_ns(s->o->master_pid, s->o->master_pid);
    }
    return x;
}

/* --- building reports --- */

/* Fills the row histograms with fresh samples: per name a log-normal latency
 * around its own median (2 ms .. 40 ms), about o->buckets distinct buckets. */
static void s_fill_rows(sim_t *s, bool final) {
    for (uint32_t k = 0; k < s->o->names; k++) {
        histogram_t *h = s->hist[k];
        histogram_reset(h);
        double median_us = 2000.0 * (1.0 + 19.0 * k / (s->o->names > 1 ? s->o->names - 1 : 1));
        uint64_t requests = 0;
        uint32_t n = final ? s->o->buckets / 2 + 1 : s->o->buckets;
        for (uint32_t i = 0; i < n; i++) {
            /* Box-Muller: a normal deviate, sigma 0.6 in log space. */
            double u1 = rng_unit(&s->rng) + 1e-12, u2 = rng_unit(&s->rng);
            double z = sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
            uint64_t v = (uint64_t)(median_us * exp(0.6 * z));
            uint64_t times = rng_range(&s->rng, 1, 3);
            histogram_record_n(h, v, times);
            requests += times;
        }
        proto_stat_t *r = &s->rows[k];
        r->requests = requests;
        r->failures = rng_range(&s->rng, 0, 50) == 0 ? 1 : 0;
        r->bytes = requests * 512;
        r->latency = h;
    }
}

/* Encodes w's next report into a new buffer (*out, caller frees). */
static int s_encode_report(sim_t *s, sim_worker_t *w, bool final, char **out, size_t *len) {
    s_fill_rows(s, final);
    for (uint32_t k = 0; k < s->o->names; k++)
        s->sent_requests += s->rows[k].requests;
    proto_error_t err = {
        .method = "GET", .name = s->row_names[0], .reason = "HTTP 503", .count = 1};
    proto_msg_t m = {.type = final ? PROTO_FINAL : PROTO_STATS};
    m.u.stats = (proto_stats_t){.run_id = w->run_id,
                                .seq = w->seq++,
                                .users = w->users,
                                .n_stats = s->o->names,
                                .stats = s->rows,
                                .n_errors = s->rows[0].failures ? 1 : 0,
                                .errors = &err};
    return proto_encode(&m, out, len) == 0 ? 0 : -1;
}

/* Sends an encoded report (and frees it), then a heartbeat unless final. */
static int s_send_encoded(sim_t *s, sim_worker_t *w, char *buf, size_t len, bool final) {
    int rc = zmq_send(w->sock, buf, len, ZMQ_DONTWAIT);
    free(buf);
    if (rc < 0) {
        fprintf(stderr, "barrage-scale-sim: send from %s: %s\n", w->id, zmq_strerror(errno));
        return -1;
    }
    s->sent_stats++;
    s->sent_bytes += len;
    proto_msg_t hb = {.type = PROTO_HEARTBEAT};
    hb.u.heartbeat = (proto_heartbeat_t){.run_id = w->run_id, .users = w->users};
    if (!final && wire_send(w->sock, &hb) == 0) s->sent_heartbeats++;
    return 0;
}

static int s_send_report(sim_t *s, sim_worker_t *w, bool final) {
    char *buf;
    size_t len;
    if (s_encode_report(s, w, final, &buf, &len) != 0) return -1;
    return s_send_encoded(s, w, buf, len, final);
}

/* --- messages from the master --- */

static void s_on_run(sim_t *s, sim_worker_t *w, const proto_run_t *run) {
    if (!s->measuring) {
        s->run_start = s_sample(s);
        s->measuring = true;
    }
    if (!w->running) s->running++;
    w->run_id = run->run_id;
    w->users = 0;
    for (uint32_t c = 0; c < run->n_classes; c++)
        w->users += run->users_per_class[c];
    w->running = true;
    w->seq = 0;
    s->interval_ms = run->report_interval_ms ? run->report_interval_ms : 1000;
    uint64_t interval_us = (uint64_t)s->interval_ms * 1000u;
    /* Spread: worker i reports at offset i/N of the interval, from the first RUN on. */
    uint64_t offset = s->o->burst ? 0 : interval_us * (uint64_t)(w - s->w) / s->o->workers;
    w->next_report_us = s->run_start.wall_us + interval_us + offset;
    s->duration_ms = run->duration_ms;
    w->self_stop_us = clock_now_us() + run->duration_ms * 1000u + SIM_SELF_STOP_GRACE_US;
}

static void s_on_stop(sim_t *s, sim_worker_t *w, uint32_t run_id) {
    if (!w->running || run_id != w->run_id) return;
    s->running--;
    if (s->finished == 0) s->run_stop = s_sample(s);
    s_send_report(s, w, true);
    w->running = false;
    w->finished = true;
    s->finished++;
}

static void s_handle(sim_t *s, sim_worker_t *w, const proto_msg_t *m) {
    switch (m->type) {
    case PROTO_WELCOME:
        if (!w->welcomed) s->welcomed++;
        w->welcomed = true;
        break;
    case PROTO_RUN:
        s_on_run(s, w, &m->u.run);
        break;
    case PROTO_STOP:
        s_on_stop(s, w, m->u.stop.run_id);
        break;
    case PROTO_QUIT:
        w->quit = true;
        break;
    case PROTO_REJECT:
        fprintf(stderr, "barrage-scale-sim: %s refused: %s\n", w->id, m->u.reject.reason);
        w->quit = true;
        break;
    default:
        break;
    }
}

/* Reads every waiting message of every socket (zmq_poll with timeout_ms first). */
static int s_drain(sim_t *s, long timeout_ms) {
    if (zmq_poll(s->items, (int)s->o->workers, timeout_ms) < 0 && errno != EINTR) {
        fprintf(stderr, "barrage-scale-sim: zmq_poll: %s\n", zmq_strerror(errno));
        return -1;
    }
    for (uint32_t i = 0; i < s->o->workers; i++) {
        if (!(s->items[i].revents & ZMQ_POLLIN)) continue;
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        while (zmq_msg_recv(&msg, s->w[i].sock, ZMQ_DONTWAIT) >= 0) {
            proto_msg_t m;
            s->received++;
            if (proto_decode(zmq_msg_data(&msg), zmq_msg_size(&msg), &m) == 0) {
                s_handle(s, &s->w[i], &m);
                proto_msg_fini(&m);
            }
        }
        zmq_msg_close(&msg);
    }
    return 0;
}

/* --- sending on schedule --- */

/* Burst mode: waits until the master's main thread has been asleep, using no
 * CPU, for SIM_IDLE_US (or the next burst is due), draining meanwhile; records
 * the burst's latency and CPU. */
static int s_measure_burst(sim_t *s, const sim_sample_t *t0) {
    long pid = s->o->master_pid;
    uint64_t last_ns = s_task_ns(pid, pid), last_busy_us = clock_now_us();
    uint64_t max_wait_us = (uint64_t)s->interval_ms * 1000u - SIM_SLICE_US;
    for (;;) {
        if (s_drain(s, 1) != 0) return -1;
        uint64_t now = clock_now_us(), ns = s_task_ns(pid, pid);
        if (ns != last_ns || s_task_runnable(pid, pid)) {
            last_ns = ns;
            last_busy_us = now;
        }
        if (now - last_busy_us >= SIM_IDLE_US) break;
        if (now - t0->wall_us >= max_wait_us) {
            s->bursts_unfinished++;
            break;
        }
    }
    if (s->n_bursts == s->cap_bursts) {
        s->cap_bursts = s->cap_bursts ? 2 * s->cap_bursts : 64;
        s->burst_ms = xrealloc(s->burst_ms, s->cap_bursts * sizeof *s->burst_ms);
        s->burst_cpu_ms = xrealloc(s->burst_cpu_ms, s->cap_bursts * sizeof *s->burst_cpu_ms);
    }
    s->burst_ms[s->n_bursts] = (double)(last_busy_us - t0->wall_us) / 1000.0;
    s->burst_cpu_ms[s->n_bursts] = (double)(last_ns - t0->main_ns) / 1e6;
    s->n_bursts++;
    return 0;
}

/* Sends the reports that are due; returns how many went out, or -1. */
static int s_send_due(sim_t *s) {
    uint64_t now = clock_now_us(), interval_us = (uint64_t)s->interval_ms * 1000u;
    int due = 0, sent = 0;
    /* Encode first, send after: a burst then reaches the master as one. */
    for (uint32_t i = 0; i < s->o->workers; i++) {
        sim_worker_t *w = &s->w[i];
        if (w->running && now >= w->self_stop_us) {
            s->self_stopped = true;
            s_on_stop(s, w, w->run_id);
            continue;
        }
        if (!w->running || w->next_report_us > now) continue;
        if (s_encode_report(s, w, false, &w->pending, &w->pending_bytes) != 0) return -1;
        w->next_report_us += interval_us;
        due++;
    }
    sim_sample_t t0 = s_sample(s);
    for (uint32_t i = 0; i < s->o->workers && sent < due; i++) {
        sim_worker_t *w = &s->w[i];
        if (!w->pending) continue;
        char *buf = w->pending;
        w->pending = NULL;
        if (s_send_encoded(s, w, buf, w->pending_bytes, false) != 0) return -1;
        sent++;
    }
    if (sent && s->o->burst && s->o->master_pid > 0 && s->finished == 0)
        return s_measure_burst(s, &t0) == 0 ? sent : -1;
    return sent;
}

/* Milliseconds until the next report is due (SIM_SLICE_US granularity), at most 100. */
static long s_timeout_ms(const sim_t *s) {
    uint64_t now = clock_now_us(), next = now + 100000u;
    for (uint32_t i = 0; i < s->o->workers; i++) {
        if (s->w[i].running && s->w[i].next_report_us < next) next = s->w[i].next_report_us;
    }
    if (next <= now) return 0;
    uint64_t wait_us = next - now;
    return (long)((wait_us < SIM_SLICE_US ? SIM_SLICE_US : wait_us) / 1000u);
}

/* Once a second, before and after the run: HELLO until welcomed, then HEARTBEAT (a
 * running worker's heartbeats go with its reports). */
static void s_idle_tick(sim_t *s) {
    for (uint32_t i = 0; i < s->o->workers; i++) {
        if (s->w[i].running || s->w[i].quit) continue;
        if (s->w[i].welcomed) {
            proto_msg_t hb = {.type = PROTO_HEARTBEAT};
            if (wire_send(s->w[i].sock, &hb) == 0) s->sent_heartbeats++;
            continue;
        }
        proto_msg_t m = {.type = PROTO_HELLO};
        m.u.hello = (proto_hello_t){
            .worker_id = s->w[i].id, .hostname = "scale-sim", .pid = (uint32_t)getpid(), .cpus = 1};
        wire_send(s->w[i].sock, &m);
    }
}

static bool s_all_done(const sim_t *s) {
    for (uint32_t i = 0; i < s->o->workers; i++) {
        if (!s->w[i].finished && !s->w[i].quit) return false;
    }
    return true;
}

static int s_loop(sim_t *s) {
    uint64_t deadline = clock_now_us() + (uint64_t)s->o->timeout_s * 1000000u;
    uint64_t next_idle_tick = 0;
    while (!s_all_done(s)) {
        uint64_t now = clock_now_us();
        if (now >= deadline) {
            fprintf(stderr,
                    "barrage-scale-sim: timed out after %u s (%u welcomed, %u running, "
                    "%u finished)\n",
                    s->o->timeout_s, s->welcomed, s->running, s->finished);
            return -1;
        }
        if (now >= next_idle_tick) {
            s_idle_tick(s);
            next_idle_tick = now + 1000000u;
        }
        if (s_drain(s, s->running ? s_timeout_ms(s) : 50) != 0 || s_send_due(s) < 0) return -1;
    }
    return 0;
}

/* --- setup and report --- */

static int s_setup(sim_t *s) {
    s->zctx = zmq_ctx_new();
    if (!s->zctx || zmq_ctx_set(s->zctx, ZMQ_MAX_SOCKETS, (int)s->o->workers + 64) != 0) {
        fprintf(stderr, "barrage-scale-sim: zmq_ctx: %s\n", zmq_strerror(errno));
        return -1;
    }
    s->w = xcalloc(s->o->workers, sizeof *s->w);
    s->items = xcalloc(s->o->workers, sizeof *s->items);
    for (uint32_t i = 0; i < s->o->workers; i++) {
        sim_worker_t *w = &s->w[i];
        snprintf(w->id, sizeof w->id, "sim-%ld-%u", (long)getpid(), i);
        w->sock = zmq_socket(s->zctx, ZMQ_DEALER);
        int linger_ms = 3000;
        if (!w->sock || zmq_setsockopt(w->sock, ZMQ_ROUTING_ID, w->id, strlen(w->id)) != 0 ||
            zmq_setsockopt(w->sock, ZMQ_LINGER, &linger_ms, sizeof linger_ms) != 0 ||
            zmq_connect(w->sock, s->o->master) != 0) {
            fprintf(stderr, "barrage-scale-sim: socket %u for %s: %s (raise ulimit -n?)\n", i,
                    s->o->master, zmq_strerror(errno));
            return -1;
        }
        s->items[i] = (zmq_pollitem_t){.socket = w->sock, .events = ZMQ_POLLIN};
    }
    s->hist = xcalloc(s->o->names, sizeof(histogram_t *));
    s->rows = xcalloc(s->o->names, sizeof *s->rows);
    s->row_names = xcalloc(s->o->names, sizeof *s->row_names);
    for (uint32_t k = 0; k < s->o->names; k++) {
        s->hist[k] = histogram_new();
        s->row_names[k] = xasprintf("/api/resource-%02u/{id}", k);
        s->rows[k] = (proto_stat_t){.method = "GET", .name = s->row_names[k]};
    }
    rng_seed(&s->rng, (uint64_t)getpid());
    return 0;
}

static void s_teardown(sim_t *s) {
    for (uint32_t i = 0; s->w && i < s->o->workers; i++) {
        if (s->w[i].sock) zmq_close(s->w[i].sock);
        free(s->w[i].pending);
    }
    if (s->zctx) zmq_ctx_term(s->zctx); /* lingers until the FINALs are out */
    for (uint32_t k = 0; s->hist && k < s->o->names; k++) {
        histogram_destroy(&s->hist[k]);
        free(s->row_names[k]);
    }
    free(s->hist);
    free(s->rows);
    free(s->row_names);
    free(s->w);
    free(s->items);
    free(s->burst_ms);
    free(s->burst_cpu_ms);
}

static int s_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void s_print_bursts(sim_t *s) {
    if (s->n_bursts < 2) return;
    /* The first burst meets a cold master (first rows, first allocations): skip it. */
    double *lat = s->burst_ms + 1, *cpu = s->burst_cpu_ms + 1;
    size_t n = s->n_bursts - 1;
    qsort(lat, n, sizeof *lat, s_cmp_double);
    qsort(cpu, n, sizeof *cpu, s_cmp_double);
    printf("merge latency (burst of %u reports to master idle): median %.1f ms, max %.1f ms "
           "over %zu bursts\n",
           s->o->workers, lat[n / 2], lat[n - 1], n);
    printf("master main-thread CPU per burst: median %.1f ms, max %.1f ms\n", cpu[n / 2],
           cpu[n - 1]);
    if (s->bursts_unfinished) {
        printf("%u bursts were still being merged when the next one was due (their latency "
               "counts as %u ms, a lower bound)\n",
               s->bursts_unfinished, s->interval_ms - SIM_SLICE_US / 1000u);
    }
}

static void s_print(sim_t *s) {
    printf("simulated: %u workers x %u names x ~%u buckets, reports every %u ms (%s)\n",
           s->o->workers, s->o->names, s->o->buckets, s->interval_ms,
           s->o->burst ? "burst" : "spread");
    printf("sent: %llu reports (%.1f MB, %.1f KB each), %llu heartbeats; received %llu messages\n",
           (unsigned long long)s->sent_stats, (double)s->sent_bytes / 1e6,
           s->sent_stats ? (double)s->sent_bytes / (double)s->sent_stats / 1e3 : 0.0,
           (unsigned long long)s->sent_heartbeats, (unsigned long long)s->received);
    printf("requests in the reports: %llu\n", (unsigned long long)s->sent_requests);
    if (s->self_stopped) {
        printf("OVERLOADED: no STOP from the master %.0f s after the run's duration: it fell "
               "behind the reports (its figures below are those of a saturated master)\n",
               SIM_SELF_STOP_GRACE_US / 1e6);
    }
    if (s->o->master_pid <= 0 || !s->run_stop.wall_us) return;
    double wall_s = (double)(s->run_stop.wall_us - s->run_start.wall_us) / 1e6;
    double cpu_s = (double)(s->run_stop.cpu_ns - s->run_start.cpu_ns) / 1e9;
    double main_s = (double)(s->run_stop.main_ns - s->run_start.main_ns) / 1e9;
    printf("master pid %ld, RUN to STOP %.1f s: CPU %.2f s = %.1f %% of one core "
           "(main thread %.1f %%, ZeroMQ I/O threads %.1f %%)\n",
           s->o->master_pid, wall_s, cpu_s, 100.0 * cpu_s / wall_s, 100.0 * main_s / wall_s,
           100.0 * (cpu_s - main_s) / wall_s);
    printf("merge cost: %.1f ms of master main-thread CPU per second of reports\n",
           1000.0 * main_s / wall_s);
    s_print_bursts(s);
}

static void s_usage(FILE *out) {
    fprintf(
        out,
        "usage: barrage-scale-sim --master tcp://HOST:PORT [options]\n"
        "\n"
        "Simulates many workers reporting to a real barrage master (no HTTP is sent).\n"
        "\n"
        "  -m, --master ENDPOINT  the master's endpoint (required)\n"
        "  -w, --workers N        simulated workers, one DEALER socket each (default 1000)\n"
        "  -n, --names N          rows (method, name) per report (default 20)\n"
        "  -b, --buckets N        samples per row and report, ~ non-empty buckets (default 40)\n"
        "      --burst            all workers report at the same instant (default: spread)\n"
        "  -p, --master-pid PID   measure this master's CPU from /proc (and, with --burst,\n"
        "                         the merge latency)\n"
        "  -t, --timeout S        give up after S seconds (default 300)\n"
        "  -h, --help\n"
        "\n"
        "Exit status: 0 ok, 2 usage error, 3 runtime error.\n");
}

static int s_parse_u32(const char *text, uint32_t lo, uint32_t hi, uint32_t *out) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    if (errno || end == text || *end || v < lo || v > hi) return -1;
    *out = (uint32_t)v;
    return 0;
}

static int s_parse(int argc, char **argv, sim_opts_t *o) {
    static const struct option longopts[] = {{"master", required_argument, 0, 'm'},
                                             {"workers", required_argument, 0, 'w'},
                                             {"names", required_argument, 0, 'n'},
                                             {"buckets", required_argument, 0, 'b'},
                                             {"burst", no_argument, 0, 'B'},
                                             {"master-pid", required_argument, 0, 'p'},
                                             {"timeout", required_argument, 0, 't'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    uint32_t pid = 0;
    int c, bad = 0;
    while ((c = getopt_long(argc, argv, "m:w:n:b:p:t:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'm':
            o->master = optarg;
            break;
        case 'w':
            bad |= s_parse_u32(optarg, 1, SIM_MAX_WORKERS, &o->workers);
            break;
        case 'n':
            bad |= s_parse_u32(optarg, 1, PROTO_MAX_STATS, &o->names);
            break;
        case 'b':
            bad |= s_parse_u32(optarg, 1, 100000, &o->buckets);
            break;
        case 'B':
            o->burst = true;
            break;
        case 'p':
            bad |= s_parse_u32(optarg, 1, 1u << 30, &pid);
            break;
        case 't':
            bad |= s_parse_u32(optarg, 1, 86400, &o->timeout_s);
            break;
        case 'h':
            s_usage(stdout);
            exit(0);
        default:
            return -1;
        }
    }
    o->master_pid = pid;
    if (bad || !o->master || optind < argc) {
        fprintf(stderr, "barrage-scale-sim: error: %s\n",
                bad ? "a number is out of range" : "--master ENDPOINT is required");
        return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    sim_opts_t o = {.workers = 1000, .names = 20, .buckets = 40, .timeout_s = 300};
    if (s_parse(argc, argv, &o) != 0) {
        s_usage(stderr);
        return 2;
    }
    sim_t s = {.o = &o, .interval_ms = 1000};
    int rc = s_setup(&s) == 0 && s_loop(&s) == 0 ? 0 : 3;
    if (rc == 0) s_print(&s);
    s_teardown(&s);
    return rc;
}
