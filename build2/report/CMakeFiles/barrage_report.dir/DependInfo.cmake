
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt-engine/report/compare.c" "report/CMakeFiles/barrage_report.dir/compare.c.o" "gcc" "report/CMakeFiles/barrage_report.dir/compare.c.o.d"
  "/work/wt-engine/report/junit.c" "report/CMakeFiles/barrage_report.dir/junit.c.o" "gcc" "report/CMakeFiles/barrage_report.dir/junit.c.o.d"
  "/work/wt-engine/report/outputs.c" "report/CMakeFiles/barrage_report.dir/outputs.c.o" "gcc" "report/CMakeFiles/barrage_report.dir/outputs.c.o.d"
  "/work/wt-engine/report/report.c" "report/CMakeFiles/barrage_report.dir/report.c.o" "gcc" "report/CMakeFiles/barrage_report.dir/report.c.o.d"
  "/work/wt-engine/report/report_csv.c" "report/CMakeFiles/barrage_report.dir/report_csv.c.o" "gcc" "report/CMakeFiles/barrage_report.dir/report_csv.c.o.d"
  "/work/wt-engine/report/report_html.c" "report/CMakeFiles/barrage_report.dir/report_html.c.o" "gcc" "report/CMakeFiles/barrage_report.dir/report_html.c.o.d"
  "/work/wt-engine/report/report_json.c" "report/CMakeFiles/barrage_report.dir/report_json.c.o" "gcc" "report/CMakeFiles/barrage_report.dir/report_json.c.o.d"
  "/work/wt-engine/report/results.c" "report/CMakeFiles/barrage_report.dir/results.c.o" "gcc" "report/CMakeFiles/barrage_report.dir/results.c.o.d"
  "/work/wt-engine/report/summary.c" "report/CMakeFiles/barrage_report.dir/summary.c.o" "gcc" "report/CMakeFiles/barrage_report.dir/summary.c.o.d"
  "/work/wt-engine/report/svg.c" "report/CMakeFiles/barrage_report.dir/svg.c.o" "gcc" "report/CMakeFiles/barrage_report.dir/svg.c.o.d"
  "/work/wt-engine/report/thresholds.c" "report/CMakeFiles/barrage_report.dir/thresholds.c.o" "gcc" "report/CMakeFiles/barrage_report.dir/thresholds.c.o.d"
  "/work/wt-engine/report/timeline.c" "report/CMakeFiles/barrage_report.dir/timeline.c.o" "gcc" "report/CMakeFiles/barrage_report.dir/timeline.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt-engine/build2/proto/CMakeFiles/barrage_proto.dir/DependInfo.cmake"
  "/work/wt-engine/build2/common/CMakeFiles/barrage_common.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
