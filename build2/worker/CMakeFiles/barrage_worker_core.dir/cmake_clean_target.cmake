file(REMOVE_RECURSE
  "libbarrage_worker_core.a"
)
