/* bad: a fixture for check_includes — report/ reaching up to the CLI. */
#include "common/histogram.h"
#include "master/cli.h"
