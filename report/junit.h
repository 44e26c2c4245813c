/* junit: the threshold verdicts of a report as JUnit XML, the format CI
 * systems (Jenkins' junit step, GitLab's artifacts:reports:junit, GitHub
 * test-report actions) show as test results.
 *
 * One <testsuites> root holding one <testsuite name="barrage thresholds">
 * (tests, failures, errors="0", time = the run's seconds, timestamp = its
 * start) with one <testcase> per threshold: name = the check as written
 * ("p95 &lt; 300ms"), classname = "<scenario>.<stats name>" ("Aggregated"
 * for checks on all names; "barrage" when the scenario has no name), so CI
 * groups them by scenario then name. A failed threshold carries
 * <failure message="measured 1.42s" type="threshold">; every testcase has
 * <system-out>measured ...</system-out>. No thresholds: a suite with zero tests. */
#ifndef BARRAGE_REPORT_JUNIT_H
#define BARRAGE_REPORT_JUNIT_H

#include "report/report.h"

/* Writes r's thresholds to path, through a temporary file in the same
 * directory renamed over path, so a reader never sees half a file. Returns 0,
 * or -1 with *err (caller frees; err may be NULL) like "cannot write out.xml: Permission
 * denied" and no file left behind. */
int junit_write(const report_t *r, const char *path, char **err);

#endif
