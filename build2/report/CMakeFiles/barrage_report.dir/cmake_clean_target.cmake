file(REMOVE_RECURSE
  "libbarrage_report.a"
)
