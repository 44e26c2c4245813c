/* wire: sending and receiving proto messages over ZeroMQ sockets.
 * A DEALER frame is the encoded message; a ROUTER message is the peer's
 * routing id frame followed by the encoded message. */
#ifndef BARRAGE_PROTO_WIRE_H
#define BARRAGE_PROTO_WIRE_H

#include <stddef.h>

#include "proto/proto.h"

/* Encodes m and sends it on a DEALER socket without blocking.
 * Returns 0, or -1 with errno from zmq_send (EAGAIN when the queue is full). */
int wire_send(void *sock, const proto_msg_t *m);

/* Sends m to the peer with routing id (id, id_bytes) on a ROUTER socket.
 * Returns 0, or -1 with errno (EHOSTUNREACH for an unknown peer). */
int wire_send_to(void *sock, const void *id, size_t id_bytes, const proto_msg_t *m);

#endif
