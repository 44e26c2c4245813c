# locust_csv_headers: prints the header rows of Locust's stats, stats history and
# failures CSV files exactly as the installed Locust writes them (CRLF included),
# to check tests/golden/locust_csv_headers.txt against the real thing.
import csv, io, sys, tempfile, os
from locust.stats import StatsCSVFileWriter, PERCENTILES_TO_REPORT
d = tempfile.mkdtemp()
w = StatsCSVFileWriter(None, PERCENTILES_TO_REPORT, os.path.join(d, "x"))
for cols in (w.requests_csv_columns, w.stats_history_csv_columns, w.failures_columns):
    out = io.StringIO(newline="")
    csv.writer(out).writerow(cols)
    sys.stdout.write(out.getvalue())
w.close_files()
