
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt-engine/tests/unit/test_keys.c" "tests/CMakeFiles/test_keys.dir/unit/test_keys.c.o" "gcc" "tests/CMakeFiles/test_keys.dir/unit/test_keys.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt-engine/build2/proto/CMakeFiles/barrage_proto.dir/DependInfo.cmake"
  "/work/wt-engine/build2/common/CMakeFiles/barrage_common.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
