file(REMOVE_RECURSE
  "libbarrage_load.a"
)
