file(REMOVE_RECURSE
  "libbarrage_scenarios.a"
)
