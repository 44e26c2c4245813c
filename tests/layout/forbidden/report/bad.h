/* bad: a fixture for check_includes — report/ reaching up to the CLI and down to the wire. */
#include "common/histogram.h"
#include "master/cli.h"
#include "proto/proto.h"
