
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt-engine/master/cli.c" "master/CMakeFiles/barrage_master_core.dir/cli.c.o" "gcc" "master/CMakeFiles/barrage_master_core.dir/cli.c.o.d"
  "/work/wt-engine/master/conductor.c" "master/CMakeFiles/barrage_master_core.dir/conductor.c.o" "gcc" "master/CMakeFiles/barrage_master_core.dir/conductor.c.o.d"
  "/work/wt-engine/master/describe.c" "master/CMakeFiles/barrage_master_core.dir/describe.c.o" "gcc" "master/CMakeFiles/barrage_master_core.dir/describe.c.o.d"
  "/work/wt-engine/master/ingest.c" "master/CMakeFiles/barrage_master_core.dir/ingest.c.o" "gcc" "master/CMakeFiles/barrage_master_core.dir/ingest.c.o.d"
  "/work/wt-engine/master/live.c" "master/CMakeFiles/barrage_master_core.dir/live.c.o" "gcc" "master/CMakeFiles/barrage_master_core.dir/live.c.o.d"
  "/work/wt-engine/master/loadplan.c" "master/CMakeFiles/barrage_master_core.dir/loadplan.c.o" "gcc" "master/CMakeFiles/barrage_master_core.dir/loadplan.c.o.d"
  "/work/wt-engine/master/local.c" "master/CMakeFiles/barrage_master_core.dir/local.c.o" "gcc" "master/CMakeFiles/barrage_master_core.dir/local.c.o.d"
  "/work/wt-engine/master/registry.c" "master/CMakeFiles/barrage_master_core.dir/registry.c.o" "gcc" "master/CMakeFiles/barrage_master_core.dir/registry.c.o.d"
  "/work/wt-engine/master/secure.c" "master/CMakeFiles/barrage_master_core.dir/secure.c.o" "gcc" "master/CMakeFiles/barrage_master_core.dir/secure.c.o.d"
  "/work/wt-engine/master/zap.c" "master/CMakeFiles/barrage_master_core.dir/zap.c.o" "gcc" "master/CMakeFiles/barrage_master_core.dir/zap.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt-engine/build2/report/CMakeFiles/barrage_report.dir/DependInfo.cmake"
  "/work/wt-engine/build2/load/CMakeFiles/barrage_load.dir/DependInfo.cmake"
  "/work/wt-engine/build2/scenarios/CMakeFiles/barrage_scenarios.dir/DependInfo.cmake"
  "/work/wt-engine/build2/proto/CMakeFiles/barrage_proto.dir/DependInfo.cmake"
  "/work/wt-engine/build2/common/CMakeFiles/barrage_common.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
