/* wire: proto messages over ZeroMQ frames. */
#include "proto/wire.h"

#include <stdlib.h>
#include <zmq.h>

int wire_send(void *sock, const proto_msg_t *m) {
    char *buf;
    size_t len;
    if (proto_encode(m, &buf, &len) != 0) return -1;
    int rc = zmq_send(sock, buf, len, ZMQ_DONTWAIT);
    free(buf);
    return rc < 0 ? -1 : 0;
}

int wire_send_to(void *sock, const void *id, size_t id_bytes, const proto_msg_t *m) {
    char *buf;
    size_t len;
    if (proto_encode(m, &buf, &len) != 0) return -1;
    int rc = zmq_send(sock, id, id_bytes, ZMQ_DONTWAIT | ZMQ_SNDMORE);
    if (rc >= 0) rc = zmq_send(sock, buf, len, ZMQ_DONTWAIT);
    free(buf);
    return rc < 0 ? -1 : 0;
}
