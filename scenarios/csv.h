/* csv: reads a data file (RFC 4180 CSV with a header row) into a scenario's
 * data model (internal to scenarios/). */
#ifndef BARRAGE_SCENARIOS_CSV_H
#define BARRAGE_SCENARIOS_CSV_H

#include <stddef.h>

#include "scenarios/scenario.h"

/* Parses text (len bytes): a header row, then one or more rows with as many
 * fields; fields may be quoted ("a ""b"", c"), rows end in LF or CRLF, the
 * last one optionally; a leading UTF-8 byte order mark is skipped. Fills
 * out->columns, n_columns, fields and n_rows.
 * Returns 0, or -1 with nothing filled, the 1-based CSV line of the problem
 * in *err_line and a message in err ("row has 3 fields, the header has 2"). */
int scenario_csv_parse(const char *text, size_t len, scenario_data_t *out, size_t *err_line,
                       char *err, size_t err_bytes);

#endif
