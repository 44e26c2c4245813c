
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt-engine/tests/target/buf.c" "tests/target/CMakeFiles/barrage-target.dir/buf.c.o" "gcc" "tests/target/CMakeFiles/barrage-target.dir/buf.c.o.d"
  "/work/wt-engine/tests/target/conn.c" "tests/target/CMakeFiles/barrage-target.dir/conn.c.o" "gcc" "tests/target/CMakeFiles/barrage-target.dir/conn.c.o.d"
  "/work/wt-engine/tests/target/counters.c" "tests/target/CMakeFiles/barrage-target.dir/counters.c.o" "gcc" "tests/target/CMakeFiles/barrage-target.dir/counters.c.o.d"
  "/work/wt-engine/tests/target/dist.c" "tests/target/CMakeFiles/barrage-target.dir/dist.c.o" "gcc" "tests/target/CMakeFiles/barrage-target.dir/dist.c.o.d"
  "/work/wt-engine/tests/target/faults.c" "tests/target/CMakeFiles/barrage-target.dir/faults.c.o" "gcc" "tests/target/CMakeFiles/barrage-target.dir/faults.c.o.d"
  "/work/wt-engine/tests/target/http.c" "tests/target/CMakeFiles/barrage-target.dir/http.c.o" "gcc" "tests/target/CMakeFiles/barrage-target.dir/http.c.o.d"
  "/work/wt-engine/tests/target/main.c" "tests/target/CMakeFiles/barrage-target.dir/main.c.o" "gcc" "tests/target/CMakeFiles/barrage-target.dir/main.c.o.d"
  "/work/wt-engine/tests/target/routes.c" "tests/target/CMakeFiles/barrage-target.dir/routes.c.o" "gcc" "tests/target/CMakeFiles/barrage-target.dir/routes.c.o.d"
  "/work/wt-engine/tests/target/server.c" "tests/target/CMakeFiles/barrage-target.dir/server.c.o" "gcc" "tests/target/CMakeFiles/barrage-target.dir/server.c.o.d"
  "/work/wt-engine/tests/target/timers.c" "tests/target/CMakeFiles/barrage-target.dir/timers.c.o" "gcc" "tests/target/CMakeFiles/barrage-target.dir/timers.c.o.d"
  "/work/wt-engine/tests/target/tokens.c" "tests/target/CMakeFiles/barrage-target.dir/tokens.c.o" "gcc" "tests/target/CMakeFiles/barrage-target.dir/tokens.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt-engine/build2/common/CMakeFiles/barrage_common.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
