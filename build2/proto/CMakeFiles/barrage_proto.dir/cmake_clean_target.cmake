file(REMOVE_RECURSE
  "libbarrage_proto.a"
)
