file(REMOVE_RECURSE
  "libbarrage_master_core.a"
)
