file(REMOVE_RECURSE
  "libbarrage_common.a"
)
