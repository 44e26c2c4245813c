
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt-engine/common/clock.c" "common/CMakeFiles/barrage_common.dir/clock.c.o" "gcc" "common/CMakeFiles/barrage_common.dir/clock.c.o.d"
  "/work/wt-engine/common/filewrite.c" "common/CMakeFiles/barrage_common.dir/filewrite.c.o" "gcc" "common/CMakeFiles/barrage_common.dir/filewrite.c.o.d"
  "/work/wt-engine/common/histogram.c" "common/CMakeFiles/barrage_common.dir/histogram.c.o" "gcc" "common/CMakeFiles/barrage_common.dir/histogram.c.o.d"
  "/work/wt-engine/common/log.c" "common/CMakeFiles/barrage_common.dir/log.c.o" "gcc" "common/CMakeFiles/barrage_common.dir/log.c.o.d"
  "/work/wt-engine/common/ramp.c" "common/CMakeFiles/barrage_common.dir/ramp.c.o" "gcc" "common/CMakeFiles/barrage_common.dir/ramp.c.o.d"
  "/work/wt-engine/common/rng.c" "common/CMakeFiles/barrage_common.dir/rng.c.o" "gcc" "common/CMakeFiles/barrage_common.dir/rng.c.o.d"
  "/work/wt-engine/common/sha256.c" "common/CMakeFiles/barrage_common.dir/sha256.c.o" "gcc" "common/CMakeFiles/barrage_common.dir/sha256.c.o.d"
  "/work/wt-engine/common/strbuf.c" "common/CMakeFiles/barrage_common.dir/strbuf.c.o" "gcc" "common/CMakeFiles/barrage_common.dir/strbuf.c.o.d"
  "/work/wt-engine/common/suggest.c" "common/CMakeFiles/barrage_common.dir/suggest.c.o" "gcc" "common/CMakeFiles/barrage_common.dir/suggest.c.o.d"
  "/work/wt-engine/common/units.c" "common/CMakeFiles/barrage_common.dir/units.c.o" "gcc" "common/CMakeFiles/barrage_common.dir/units.c.o.d"
  "/work/wt-engine/common/xmalloc.c" "common/CMakeFiles/barrage_common.dir/xmalloc.c.o" "gcc" "common/CMakeFiles/barrage_common.dir/xmalloc.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
