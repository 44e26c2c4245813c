/* test_cli: the barrage command line — subcommands, load flags, defaults and
 * usage errors (master/cli.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "master/cli.h"

#define MAX_ARGS 32

/* Runs cli_parse on the words after "barrage"; stderr is captured into err
 * (when non-NULL, caller frees). */
static int s_parse_err(cli_opts_t *o, char **err, const char *const *words) {
    char *argv[MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = (char *)"barrage";
    for (; words[argc - 1] && argc <= MAX_ARGS; argc++) argv[argc] = (char *)words[argc - 1];
    argv[argc] = NULL;

    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    FILE *tmp = tmpfile();
    cr_assert_not_null(tmp);
    dup2(fileno(tmp), STDERR_FILENO);
    int rc = cli_parse(argc, argv, o);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);

    long n = ftell(tmp);
    rewind(tmp);
    char *text = calloc(1, (size_t)n + 1);
    if (n > 0) cr_assert_eq(fread(text, 1, (size_t)n, tmp), (size_t)n);
    fclose(tmp);
    if (err) {
        *err = text;
    } else {
        free(text);
    }
    return rc;
}

#define PARSE(o, ...) s_parse_err((o), NULL, (const char *const[]){__VA_ARGS__, NULL})
#define PARSE_ERR(o, err, ...) s_parse_err((o), (err), (const char *const[]){__VA_ARGS__, NULL})

/* Asserts the words are a usage error with a "barrage: error:" message mentioning `about`. */
#define EXPECT_USAGE_ERROR(about, ...)                                                            \
    do {                                                                                          \
        cli_opts_t o_;                                                                            \
        char *err_ = NULL;                                                                        \
        int rc_ = PARSE_ERR(&o_, &err_, __VA_ARGS__);                                             \
        cr_expect_eq(rc_, -1, "accepted: %s", #__VA_ARGS__);                                      \
        cr_expect_eq(strncmp(err_, "barrage: error: ", 16), 0, "message: '%s'", err_);           \
        cr_expect_not_null(strstr(err_, (about)), "'%s' not in '%s'", (about), err_);            \
        free(err_);                                                                               \
    } while (0)

Test(cli, no_arguments_means_help) {
    cli_opts_t o;
    char *argv[] = {(char *)"barrage", NULL};
    cr_assert_eq(cli_parse(1, argv, &o), 0);
    cr_expect_eq(o.command, CLI_HELP);
}

Test(cli, run_with_defaults) {
    cli_opts_t o;
    cr_assert_eq(PARSE(&o, "run", "load.yaml"), 0);
    cr_expect_eq(o.command, CLI_RUN);
    cr_expect_str_eq(o.scenario, "load.yaml");
    cr_expect_null(o.host);
    cr_expect_eq(o.users, -1);
    cr_expect_float_eq(o.spawn_rate, -1.0, 1e-12);
    cr_expect_eq(o.duration_ms, 0);
    cr_expect_eq(o.workers, -1);
    cr_expect_eq(o.expect_workers, 1);
    cr_expect_str_eq(o.bind, "tcp://127.0.0.1:5557");
    cr_expect_eq(o.wait_workers_ms, 120000);
    cr_expect_eq(o.verbosity, 0);
}

Test(cli, run_with_short_load_flags) {
    cli_opts_t o;
    cr_assert_eq(PARSE(&o, "run", "load.yaml", "-u", "50", "-r", "2.5", "-t", "1m30s", "-H",
                       "http://127.0.0.1:8089", "--workers", "4"),
                 0);
    cr_expect_eq(o.command, CLI_RUN);
    cr_expect_eq(o.users, 50);
    cr_expect_float_eq(o.spawn_rate, 2.5, 1e-12);
    cr_expect_eq(o.duration_ms, 90000);
    cr_expect_str_eq(o.host, "http://127.0.0.1:8089");
    cr_expect_eq(o.workers, 4);
}

Test(cli, run_with_long_flags_and_equals) {
    cli_opts_t o;
    cr_assert_eq(PARSE(&o, "run", "--users=7", "--spawn-rate", "3", "--run-time=500ms",
                       "--host=http://h", "-w", "2", "s.yaml", "-v"),
                 0);
    cr_expect_str_eq(o.scenario, "s.yaml");
    cr_expect_eq(o.users, 7);
    cr_expect_float_eq(o.spawn_rate, 3.0, 1e-12);
    cr_expect_eq(o.duration_ms, 500);
    cr_expect_str_eq(o.host, "http://h");
    cr_expect_eq(o.workers, 2);
    cr_expect_eq(o.verbosity, 1);
}

Test(cli, options_may_come_before_the_command) {
    cli_opts_t o;
    cr_assert_eq(PARSE(&o, "-q", "-u", "3", "run", "x.yaml"), 0);
    cr_expect_eq(o.command, CLI_RUN);
    cr_expect_eq(o.users, 3);
    cr_expect_eq(o.verbosity, -1);
    cr_expect_str_eq(o.scenario, "x.yaml");
}

Test(cli, master_options) {
    cli_opts_t o;
    cr_assert_eq(PARSE(&o, "master", "load.yaml", "--bind", "tcp://0.0.0.0:6000",
                       "--expect-workers", "3", "--wait-workers", "30s", "-t", "10s",
                       "--insecure"),
                 0);
    cr_expect_eq(o.command, CLI_MASTER);
    cr_expect_str_eq(o.scenario, "load.yaml");
    cr_expect_str_eq(o.bind, "tcp://0.0.0.0:6000");
    cr_expect_eq(o.expect_workers, 3);
    cr_expect_eq(o.wait_workers_ms, 30000);
    cr_expect_eq(o.duration_ms, 10000);
}

Test(cli, validate) {
    cli_opts_t o;
    cr_assert_eq(PARSE(&o, "validate", "scenarios/examples/tour.yaml"), 0);
    cr_expect_eq(o.command, CLI_VALIDATE);
    cr_expect_str_eq(o.scenario, "scenarios/examples/tour.yaml");
}

Test(cli, help_and_version) {
    cli_opts_t o;
    cr_assert_eq(PARSE(&o, "--help"), 0);
    cr_expect_eq(o.command, CLI_HELP);
    cr_assert_eq(PARSE(&o, "-h"), 0);
    cr_expect_eq(o.command, CLI_HELP);
    cr_assert_eq(PARSE(&o, "help"), 0);
    cr_expect_eq(o.command, CLI_HELP);
    cr_assert_eq(PARSE(&o, "--version"), 0);
    cr_expect_eq(o.command, CLI_VERSION);
    cr_assert_eq(PARSE(&o, "-V"), 0);
    cr_expect_eq(o.command, CLI_VERSION);
    cr_assert_eq(PARSE(&o, "version"), 0);
    cr_expect_eq(o.command, CLI_VERSION);
}

Test(cli, can_parse_more_than_once_per_process) {
    /* getopt keeps global state: a second parse must start from argv[1] again. */
    cli_opts_t o;
    cr_assert_eq(PARSE(&o, "run", "a.yaml", "-u", "5"), 0);
    cr_assert_eq(PARSE(&o, "master", "b.yaml", "-u", "9"), 0);
    cr_expect_eq(o.command, CLI_MASTER);
    cr_expect_str_eq(o.scenario, "b.yaml");
    cr_expect_eq(o.users, 9);
    /* Also after a parse that stopped early on an error. */
    cr_assert_eq(PARSE(&o, "run", "a.yaml", "-u", "0", "-t", "5s"), -1);
    cr_assert_eq(PARSE(&o, "validate", "c.yaml"), 0);
    cr_expect_eq(o.command, CLI_VALIDATE);
    cr_expect_str_eq(o.scenario, "c.yaml");
}

Test(cli, bad_numbers_are_usage_errors) {
    EXPECT_USAGE_ERROR("--users", "run", "s.yaml", "-u", "0");
    EXPECT_USAGE_ERROR("--users", "run", "s.yaml", "-u", "-3");
    EXPECT_USAGE_ERROR("--users", "run", "s.yaml", "-u", "ten");
    EXPECT_USAGE_ERROR("--users", "run", "s.yaml", "-u", "5x");
    EXPECT_USAGE_ERROR("--users", "run", "s.yaml", "-u", "");
    EXPECT_USAGE_ERROR("--spawn-rate", "run", "s.yaml", "-r", "0");
    EXPECT_USAGE_ERROR("--spawn-rate", "run", "s.yaml", "-r", "-1");
    EXPECT_USAGE_ERROR("--spawn-rate", "run", "s.yaml", "-r", "fast");
    EXPECT_USAGE_ERROR("--spawn-rate", "run", "s.yaml", "-r", "inf");
    EXPECT_USAGE_ERROR("--spawn-rate", "run", "s.yaml", "-r", "nan");
    EXPECT_USAGE_ERROR("--spawn-rate", "run", "s.yaml", "-r", "2/s");
    EXPECT_USAGE_ERROR("--spawn-rate", "run", "s.yaml", "-r", "nan");
    EXPECT_USAGE_ERROR("--run-time", "run", "s.yaml", "-t", "0s");
    EXPECT_USAGE_ERROR("--run-time", "run", "s.yaml", "-t", "soon");
    EXPECT_USAGE_ERROR("--run-time", "run", "s.yaml", "-t", "10parsecs");
    EXPECT_USAGE_ERROR("--workers", "run", "s.yaml", "--workers", "0");
    /* Local workers are forked at once: a typo must not fork a million processes. */
    EXPECT_USAGE_ERROR("--workers", "run", "s.yaml", "--workers", "1000000");
    /* Users are 32-bit: 5000000000 must not wrap to 705032704. */
    EXPECT_USAGE_ERROR("--users", "run", "s.yaml", "-u", "5000000000");
    EXPECT_USAGE_ERROR("--users", "validate", "s.yaml", "-u", "4294967297");
    /* -H is checked as the scenario's host: is. */
    EXPECT_USAGE_ERROR("--host", "run", "s.yaml", "-H", "127.0.0.1:8000");
    EXPECT_USAGE_ERROR("--host", "run", "s.yaml", "-H", "ftp://127.0.0.1");
    EXPECT_USAGE_ERROR("--host", "run", "s.yaml", "-H", "http://");
    EXPECT_USAGE_ERROR("--host", "master", "s.yaml", "--host", "");
    EXPECT_USAGE_ERROR("--expect-workers", "master", "s.yaml", "--expect-workers", "0");
    EXPECT_USAGE_ERROR("--wait-workers", "master", "s.yaml", "--wait-workers", "later");
}

Test(cli, limits_are_accepted) {
    cli_opts_t o;
    cr_assert_eq(PARSE(&o, "run", "s.yaml", "--workers", "1024", "-u", "4294967295", "-H",
                       "https://[::1]:8443/api"),
                 0);
    cr_expect_eq(o.workers, 1024);
    cr_expect_eq(o.users, 4294967295L);
    cr_expect_str_eq(o.host, "https://[::1]:8443/api");
}

Test(cli, structural_usage_errors) {
    /* report regenerates the run's verdicts: a new threshold there was silently ignored. */
    EXPECT_USAGE_ERROR("--threshold goes with run, master or validate", "report", "r.json",
                       "--threshold", "p95<1s");
    EXPECT_USAGE_ERROR("--threshold goes with", "compare", "a.json", "b.json", "--threshold",
                       "p95<1s");
    EXPECT_USAGE_ERROR("unknown command 'fire'", "fire", "s.yaml");
    EXPECT_USAGE_ERROR("SCENARIO", "run");
    EXPECT_USAGE_ERROR("SCENARIO", "master", "-u", "3");
    EXPECT_USAGE_ERROR("unexpected argument 'b.yaml'", "run", "a.yaml", "b.yaml");
    EXPECT_USAGE_ERROR("--nope", "run", "a.yaml", "--nope");
    EXPECT_USAGE_ERROR("-u", "run", "a.yaml", "-u");
}

Test(cli, usage_text_names_commands_options_and_exit_codes) {
    char *text = NULL;
    size_t bytes = 0;
    FILE *f = open_memstream(&text, &bytes);
    cli_usage(f);
    fclose(f);
    const char *want[] = {
        "usage: barrage", "run SCENARIO",    "master SCENARIO",  "validate SCENARIO",
        "--users",        "--spawn-rate",    "--run-time",       "--host",
        "--workers",      "--bind",          "--expect-workers", "--wait-workers",
        "keygen PATH",    "--key FILE",      "--allow PATH",     "--insecure",
        "--master-key",   "--tls-no-verify", "Exit status"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_expect_not_null(strstr(text, want[i]), "usage lacks '%s'", want[i]);
    free(text);
}

Test(cli, exit_codes_are_distinct) {
    cr_expect_eq(BARRAGE_EXIT_OK, 0);
    cr_expect_eq(BARRAGE_EXIT_THRESHOLDS, 1);
    cr_expect_eq(BARRAGE_EXIT_USAGE, 2);
    cr_expect_eq(BARRAGE_EXIT_RUNTIME, 3);
}

Test(cli, run_with_outputs_and_thresholds) {
    cli_opts_t o;
    cr_assert_eq(PARSE(&o, "run", "s.yaml", "--csv", "out/run", "--json", "r.json", "--html",
                       "r.html", "--junit", "j.xml", "--threshold", "p95<300ms", "--threshold",
                       "/login:p99 < 1s"),
                 0);
    cr_expect_str_eq(o.csv_prefix, "out/run");
    cr_expect_str_eq(o.json_path, "r.json");
    cr_expect_str_eq(o.html_path, "r.html");
    cr_expect_str_eq(o.junit_path, "j.xml");
    cr_assert_eq(o.n_thresholds, 2);
    cr_expect_str_eq(o.thresholds[1], "/login:p99 < 1s");
}

Test(cli, report_and_compare_commands) {
    cli_opts_t o;
    cr_assert_eq(PARSE(&o, "report", "r.json", "--html", "r.html"), 0);
    cr_expect_eq(o.command, CLI_REPORT);
    cr_expect_str_eq(o.scenario, "r.json");
    cr_assert_eq(PARSE(&o, "compare", "before.json", "after.json", "--format", "md",
                       "--fail-on-regression", "10%"),
                 0);
    cr_expect_eq(o.command, CLI_COMPARE);
    cr_expect_str_eq(o.scenario, "before.json");
    cr_expect_str_eq(o.second, "after.json");
    cr_expect(o.markdown);
    cr_expect_float_eq(o.fail_on_regression_pct, 10.0, 1e-12);
    cr_assert_eq(PARSE(&o, "compare", "a.json", "b.json"), 0);
    cr_expect(!o.markdown);
    cr_expect(o.fail_on_regression_pct < 0, "off unless asked for");
}

Test(cli, report_and_compare_errors) {
    EXPECT_USAGE_ERROR("report needs a RESULT.json", "report");
    EXPECT_USAGE_ERROR("compare needs two result files", "compare", "a.json");
    EXPECT_USAGE_ERROR("--format wants text or md", "compare", "a.json", "b.json", "--format", "x");
    EXPECT_USAGE_ERROR("--fail-on-regression wants", "compare", "a", "b", "--fail-on-regression",
                       "lots");
    EXPECT_USAGE_ERROR("unexpected argument", "compare", "a", "b", "c");
}

Test(cli, keygen_command) {
    cli_opts_t o;
    cr_assert_eq(PARSE(&o, "keygen", "master.key"), 0);
    cr_expect_eq(o.command, CLI_KEYGEN);
    cr_expect_str_eq(o.scenario, "master.key");
    cr_expect(!o.force);
    cr_assert_eq(PARSE(&o, "keygen", "--force", "w.key"), 0);
    cr_expect(o.force);
    EXPECT_USAGE_ERROR("keygen needs a PATH", "keygen");
}

Test(cli, master_keys_and_allow) {
    cli_opts_t o;
    cr_assert_eq(PARSE(&o, "master", "s.yaml", "--bind", "tcp://0.0.0.0:5557", "--key", "m.key",
                       "--allow", "workers/", "--allow", "extra.pub"),
                 0);
    cr_expect_str_eq(o.key_path, "m.key");
    cr_assert_eq(o.n_allow, 2);
    cr_expect_str_eq(o.allow[0], "workers/");
    cr_expect_str_eq(o.allow[1], "extra.pub");
    cr_expect(!o.insecure);
    cr_assert_eq(PARSE(&o, "run", "s.yaml", "--key", "m.key", "--allow", "w.pub"), 0);
    cr_expect_str_eq(o.key_path, "m.key");
}

Test(cli, keys_come_together) {
    EXPECT_USAGE_ERROR("--key needs --allow", "master", "s.yaml", "--key", "m.key");
    EXPECT_USAGE_ERROR("--key needs --allow", "run", "s.yaml", "--key", "m.key");
    EXPECT_USAGE_ERROR("--allow needs --key", "master", "s.yaml", "--allow", "w.pub");
    EXPECT_USAGE_ERROR("pass only one of them", "master", "s.yaml", "--key", "m.key", "--allow",
                       "w.pub", "--insecure");
}

Test(cli, beyond_loopback_needs_keys_or_insecure) {
    EXPECT_USAGE_ERROR("--bind tcp://0.0.0.0:5557 lets other machines connect", "master",
                       "s.yaml", "--bind", "tcp://0.0.0.0:5557");
    EXPECT_USAGE_ERROR("--insecure", "master", "s.yaml", "--bind", "tcp://*:5557");
    EXPECT_USAGE_ERROR("barrage keygen master.key", "master", "s.yaml", "--bind",
                       "tcp://10.0.0.2:5557");
    /* An endpoint without its transport is a typo: said so, not "needs keys". */
    EXPECT_USAGE_ERROR("--bind wants a ZeroMQ endpoint such as tcp://127.0.0.1:5557", "master",
                       "s.yaml", "--bind", "127.0.0.1:5557");
    EXPECT_USAGE_ERROR("(got 'localhost:5557')", "master", "s.yaml", "--bind", "localhost:5557",
                       "--insecure");
    cli_opts_t o;
    cr_expect_eq(PARSE(&o, "master", "s.yaml", "--bind", "ipc:///tmp/b.sock"), 0);
    cr_expect_eq(PARSE(&o, "master", "s.yaml", "--bind", "tcp://0.0.0.0:5557", "--insecure"), 0);
    cr_expect(o.insecure);
    cr_expect_eq(PARSE(&o, "master", "s.yaml", "--bind", "tcp://127.0.0.1:0"), 0);
    cr_expect_eq(PARSE(&o, "master", "s.yaml"), 0, "the default bind is loopback");
}

Test(cli, endpoint_is_loopback) {
    const char *local[] = {"tcp://127.0.0.1:5557", "tcp://127.1.2.3:0",   "tcp://localhost:5557",
                           "tcp://LocalHost:1",    "tcp://[::1]:5557",    "ipc:///tmp/barrage",
                           "inproc://x",           "tcp://[::ffff:127.0.0.1]:1"};
    const char *remote[] = {"tcp://0.0.0.0:5557", "tcp://*:5557",         "tcp://10.0.0.2:5557",
                            "tcp://[::]:5557",    "tcp://eth0:5557",      "tcp://example.com:1",
                            "tcp://128.0.0.1:1",  "tcp://127.0.0.1",      "udp://127.0.0.1:1",
                            "tcp://[::1:5557",    "tcp://:5557",          "tcp://[::2]:1"};
    for (size_t i = 0; i < sizeof local / sizeof local[0]; i++) {
        cr_expect(cli_endpoint_is_loopback(local[i]), "%s", local[i]);
    }
    for (size_t i = 0; i < sizeof remote / sizeof remote[0]; i++) {
        cr_expect(!cli_endpoint_is_loopback(remote[i]), "%s", remote[i]);
    }
}

/* ---- the web UI's flags ---- */

Test(cli, web_defaults_to_loopback_8089_and_takes_an_address) {
    cli_opts_t o;
    cr_assert_eq(PARSE(&o, "run", "s.yaml", "-t", "5s"), 0);
    cr_expect_null(o.web_addr, "no --web: no web UI");
    cr_expect_not(o.autostart);
    cr_expect_eq(o.autoquit_s, -1);
    cr_assert_eq(PARSE(&o, "run", "s.yaml", "--web"), 0);
    cr_expect_str_eq(o.web_addr, CLI_WEB_DEFAULT_ADDR);
    cr_expect_str_eq(o.scenario, "s.yaml");
    cr_assert_eq(PARSE(&o, "master", "--web", "s.yaml"), 0);
    cr_expect_str_eq(o.web_addr, "127.0.0.1:8089");
    cr_expect_str_eq(o.scenario, "s.yaml", "a file name is not an address");
    cr_assert_eq(PARSE(&o, "run", "s.yaml", "--web", "0.0.0.0:9000", "--web-auth", "ann:pw"), 0);
    cr_expect_str_eq(o.web_addr, "0.0.0.0:9000");
    cr_expect_str_eq(o.web_auth, "ann:pw");
    cr_assert_eq(PARSE(&o, "run", "--web", "[::1]:0", "s.yaml"), 0);
    cr_expect_str_eq(o.web_addr, "[::1]:0");
    cr_expect_str_eq(o.scenario, "s.yaml");
    cr_assert_eq(PARSE(&o, "run", "s.yaml", "--web=127.0.0.1:1234", "--autostart", "--autoquit",
                       "0"),
                 0);
    cr_expect_str_eq(o.web_addr, "127.0.0.1:1234");
    cr_expect(o.autostart);
    cr_expect_eq(o.autoquit_s, 0);
    cr_expect_null(o.results_dir);
    cr_assert_eq(PARSE(&o, "master", "s.yaml", "--web", "--results-dir", "runs/"), 0);
    cr_expect_str_eq(o.results_dir, "runs/");
}

Test(cli, web_flags_without_web_or_malformed_are_refused) {
    EXPECT_USAGE_ERROR("go with --web", "run", "s.yaml", "--autostart");
    EXPECT_USAGE_ERROR("go with --web", "master", "s.yaml", "--autoquit", "5");
    EXPECT_USAGE_ERROR("go with --web", "run", "s.yaml", "--web-auth", "a:b");
    EXPECT_USAGE_ERROR("go with --web", "run", "s.yaml", "--results-dir", "runs");
    EXPECT_USAGE_ERROR("--results-dir wants", "run", "s.yaml", "--web", "--results-dir", "");
    EXPECT_USAGE_ERROR("--autoquit wants", "run", "s.yaml", "--web", "--autoquit", "-1");
    EXPECT_USAGE_ERROR("--autoquit wants", "run", "s.yaml", "--web", "--autoquit", "soon");
    EXPECT_USAGE_ERROR("USER:PASSWORD", "run", "s.yaml", "--web", "--web-auth", "nocolon");
    EXPECT_USAGE_ERROR("--web goes with run or master", "validate", "s.yaml", "--web");
    EXPECT_USAGE_ERROR("unexpected argument", "run", "s.yaml", "--web", "other.yaml");
}

Test(cli, tls_no_verify_goes_with_run_and_master) {
    cli_opts_t o;
    cr_assert_eq(PARSE(&o, "run", "s.yaml"), 0);
    cr_expect_not(o.tls_no_verify, "verification stays on by default");
    cr_assert_eq(PARSE(&o, "run", "s.yaml", "--tls-no-verify"), 0);
    cr_expect(o.tls_no_verify);
    cr_assert_eq(PARSE(&o, "master", "s.yaml", "--tls-no-verify"), 0);
    cr_expect(o.tls_no_verify);
    EXPECT_USAGE_ERROR("--tls-no-verify goes with run or master", "validate", "s.yaml",
                       "--tls-no-verify");
    EXPECT_USAGE_ERROR("--tls-no-verify goes with run or master", "report", "r.json",
                       "--tls-no-verify");
}

Test(cli, import_locust_command) {
    cli_opts_t o;
    cr_assert_eq(PARSE(&o, "import-locust", "locustfile.py"), 0);
    cr_expect_eq(o.command, CLI_IMPORT_LOCUST);
    cr_expect_str_eq(o.scenario, "locustfile.py");
    cr_expect_null(o.output);
    cr_expect(!o.partial);
    cr_assert_eq(PARSE(&o, "import-locust", "f.py", "-o", "s.yaml", "--partial", "-u", "20", "-r",
                       "2.5", "-t", "90s", "-H", "http://127.0.0.1:8000"),
                 0);
    cr_expect_str_eq(o.output, "s.yaml");
    cr_expect(o.partial);
    cr_expect_eq(o.users, 20);
    cr_expect_float_eq(o.spawn_rate, 2.5, 1e-12);
    cr_expect_eq(o.duration_ms, 90000);
    cr_expect_str_eq(o.host, "http://127.0.0.1:8000");
    cr_assert_eq(PARSE(&o, "import-locust", "--output=x.yaml", "f.py"), 0);
    cr_expect_str_eq(o.output, "x.yaml");
}

Test(cli, import_locust_errors) {
    EXPECT_USAGE_ERROR("import-locust needs a LOCUSTFILE.py", "import-locust");
    EXPECT_USAGE_ERROR("unexpected argument 'g.py'", "import-locust", "f.py", "g.py");
    EXPECT_USAGE_ERROR("-o/--output and --partial go with import-locust", "run", "s.yaml", "-o",
                       "x");
    EXPECT_USAGE_ERROR("-o/--output and --partial go with import-locust", "validate", "s.yaml",
                       "--partial");
    EXPECT_USAGE_ERROR("-u/--users wants", "import-locust", "f.py", "-u", "0");
    EXPECT_USAGE_ERROR("-o", "import-locust", "f.py", "-o");
}

Test(cli, import_locust_argv) {
    cli_opts_t o;
    cli_import_store_t store;
    const char *argv[CLI_IMPORT_MAX_ARGS];
    cr_assert_eq(PARSE(&o, "import-locust", "f.py"), 0);
    cr_assert_eq(cli_import_argv(&o, "/x/import_locust.py", &store, argv), 3);
    cr_expect_str_eq(argv[0], "python3");
    cr_expect_str_eq(argv[1], "/x/import_locust.py");
    cr_expect_str_eq(argv[2], "f.py");
    cr_expect_null(argv[3]);
    cr_assert_eq(PARSE(&o, "import-locust", "f.py", "-o", "s.yaml", "--partial", "-u", "20", "-r",
                       "2.5", "-t", "1m30s", "-H", "http://h:1"),
                 0);
    const char *want[] = {"python3", "S", "f.py", "-o", "s.yaml", "--partial", "-u", "20",
                          "-r", "2.5", "-t", "90s", "-H", "http://h:1"};
    size_t n = cli_import_argv(&o, "S", &store, argv);
    cr_assert_eq(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++) cr_expect_str_eq(argv[i], want[i], "argument %zu", i);
    cr_expect_null(argv[n]);
    /* -t in the largest whole unit */
    const struct {
        const char *in, *out;
    } times[] = {{"2h", "2h"}, {"120m", "2h"}, {"90m", "90m"}, {"1500ms", "1500ms"}, {"61s", "61s"}};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        cr_assert_eq(PARSE(&o, "import-locust", "f.py", "-t", times[i].in), 0);
        n = cli_import_argv(&o, "S", &store, argv);
        cr_assert_eq(n, 5);
        cr_expect_str_eq(argv[4], times[i].out, "-t %s", times[i].in);
    }
}

Test(cli, import_locust_script_paths) {
    char a[64], b[64];
    cr_assert_eq(cli_import_script_paths("/opt/barrage/bin/barrage", a, b, sizeof a), 0);
    cr_expect_str_eq(a, "/opt/barrage/bin/import_locust.py");
    cr_expect_str_eq(b, "/opt/barrage/bin/../libexec/barrage/import_locust.py");
    cr_expect_eq(cli_import_script_paths("barrage", a, b, sizeof a), -1, "no directory");
    cr_expect_eq(cli_import_script_paths("/a/very/long/directory/name/that/goes/on/barrage", a, b,
                                         sizeof a),
                 -1, "does not fit");
}
