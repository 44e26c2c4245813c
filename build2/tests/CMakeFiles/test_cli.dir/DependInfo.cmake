
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt-engine/tests/unit/test_cli.c" "tests/CMakeFiles/test_cli.dir/unit/test_cli.c.o" "gcc" "tests/CMakeFiles/test_cli.dir/unit/test_cli.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt-engine/build2/master/CMakeFiles/barrage_master_core.dir/DependInfo.cmake"
  "/work/wt-engine/build2/report/CMakeFiles/barrage_report.dir/DependInfo.cmake"
  "/work/wt-engine/build2/load/CMakeFiles/barrage_load.dir/DependInfo.cmake"
  "/work/wt-engine/build2/scenarios/CMakeFiles/barrage_scenarios.dir/DependInfo.cmake"
  "/work/wt-engine/build2/proto/CMakeFiles/barrage_proto.dir/DependInfo.cmake"
  "/work/wt-engine/build2/common/CMakeFiles/barrage_common.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
