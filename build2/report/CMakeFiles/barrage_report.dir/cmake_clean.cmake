file(REMOVE_RECURSE
  "CMakeFiles/barrage_report.dir/compare.c.o"
  "CMakeFiles/barrage_report.dir/compare.c.o.d"
  "CMakeFiles/barrage_report.dir/junit.c.o"
  "CMakeFiles/barrage_report.dir/junit.c.o.d"
  "CMakeFiles/barrage_report.dir/outputs.c.o"
  "CMakeFiles/barrage_report.dir/outputs.c.o.d"
  "CMakeFiles/barrage_report.dir/report.c.o"
  "CMakeFiles/barrage_report.dir/report.c.o.d"
  "CMakeFiles/barrage_report.dir/report_csv.c.o"
  "CMakeFiles/barrage_report.dir/report_csv.c.o.d"
  "CMakeFiles/barrage_report.dir/report_html.c.o"
  "CMakeFiles/barrage_report.dir/report_html.c.o.d"
  "CMakeFiles/barrage_report.dir/report_json.c.o"
  "CMakeFiles/barrage_report.dir/report_json.c.o.d"
  "CMakeFiles/barrage_report.dir/results.c.o"
  "CMakeFiles/barrage_report.dir/results.c.o.d"
  "CMakeFiles/barrage_report.dir/summary.c.o"
  "CMakeFiles/barrage_report.dir/summary.c.o.d"
  "CMakeFiles/barrage_report.dir/svg.c.o"
  "CMakeFiles/barrage_report.dir/svg.c.o.d"
  "CMakeFiles/barrage_report.dir/thresholds.c.o"
  "CMakeFiles/barrage_report.dir/thresholds.c.o.d"
  "CMakeFiles/barrage_report.dir/timeline.c.o"
  "CMakeFiles/barrage_report.dir/timeline.c.o.d"
  "libbarrage_report.a"
  "libbarrage_report.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/barrage_report.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
