/* bad: a fixture for check_includes — common/ needing libzmq. */
#include <zmq.h>
