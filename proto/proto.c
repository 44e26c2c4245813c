/* proto: msgpack encoding of the wire protocol (being written). */
#include "proto/proto.h"
