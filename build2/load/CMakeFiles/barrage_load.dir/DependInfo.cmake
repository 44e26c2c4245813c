
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt-engine/load/moves.c" "load/CMakeFiles/barrage_load.dir/moves.c.o" "gcc" "load/CMakeFiles/barrage_load.dir/moves.c.o.d"
  "/work/wt-engine/load/rebalance.c" "load/CMakeFiles/barrage_load.dir/rebalance.c.o" "gcc" "load/CMakeFiles/barrage_load.dir/rebalance.c.o.d"
  "/work/wt-engine/load/schedule.c" "load/CMakeFiles/barrage_load.dir/schedule.c.o" "gcc" "load/CMakeFiles/barrage_load.dir/schedule.c.o.d"
  "/work/wt-engine/load/split.c" "load/CMakeFiles/barrage_load.dir/split.c.o" "gcc" "load/CMakeFiles/barrage_load.dir/split.c.o.d"
  "/work/wt-engine/load/userids.c" "load/CMakeFiles/barrage_load.dir/userids.c.o" "gcc" "load/CMakeFiles/barrage_load.dir/userids.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt-engine/build2/common/CMakeFiles/barrage_common.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
