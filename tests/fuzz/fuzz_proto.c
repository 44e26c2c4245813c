/* fuzz_proto: proto_decode on arbitrary frames. Oracle: whatever decodes
 * re-encodes, the re-encoding decodes again, and encoding that second decode
 * gives the same bytes (the encoding of a decoded message is canonical). */
#include <stdlib.h>
#include <string.h>

#include "proto/proto.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    proto_msg_t m;
    if (proto_decode(data, size, &m) != PROTO_OK) return 0;
    char *a = NULL, *b = NULL;
    size_t a_bytes = 0, b_bytes = 0;
    int rc = proto_encode(&m, &a, &a_bytes);
    proto_msg_fini(&m);
    if (rc != PROTO_OK) abort(); /* a decoded message is within every limit */
    proto_msg_t again;
    if (proto_decode(a, a_bytes, &again) != PROTO_OK) abort();
    if (proto_encode(&again, &b, &b_bytes) != PROTO_OK) abort();
    proto_msg_fini(&again);
    if (a_bytes != b_bytes || memcmp(a, b, a_bytes) != 0) abort();
    free(a);
    free(b);
    return 0;
}
