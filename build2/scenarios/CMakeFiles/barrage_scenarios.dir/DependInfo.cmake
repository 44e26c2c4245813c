
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt-engine/scenarios/classes.c" "scenarios/CMakeFiles/barrage_scenarios.dir/classes.c.o" "gcc" "scenarios/CMakeFiles/barrage_scenarios.dir/classes.c.o.d"
  "/work/wt-engine/scenarios/csv.c" "scenarios/CMakeFiles/barrage_scenarios.dir/csv.c.o" "gcc" "scenarios/CMakeFiles/barrage_scenarios.dir/csv.c.o.d"
  "/work/wt-engine/scenarios/encode.c" "scenarios/CMakeFiles/barrage_scenarios.dir/encode.c.o" "gcc" "scenarios/CMakeFiles/barrage_scenarios.dir/encode.c.o.d"
  "/work/wt-engine/scenarios/json_emit.c" "scenarios/CMakeFiles/barrage_scenarios.dir/json_emit.c.o" "gcc" "scenarios/CMakeFiles/barrage_scenarios.dir/json_emit.c.o.d"
  "/work/wt-engine/scenarios/jsonpath.c" "scenarios/CMakeFiles/barrage_scenarios.dir/jsonpath.c.o" "gcc" "scenarios/CMakeFiles/barrage_scenarios.dir/jsonpath.c.o.d"
  "/work/wt-engine/scenarios/regex_cost.c" "scenarios/CMakeFiles/barrage_scenarios.dir/regex_cost.c.o" "gcc" "scenarios/CMakeFiles/barrage_scenarios.dir/regex_cost.c.o.d"
  "/work/wt-engine/scenarios/requests.c" "scenarios/CMakeFiles/barrage_scenarios.dir/requests.c.o" "gcc" "scenarios/CMakeFiles/barrage_scenarios.dir/requests.c.o.d"
  "/work/wt-engine/scenarios/scenario.c" "scenarios/CMakeFiles/barrage_scenarios.dir/scenario.c.o" "gcc" "scenarios/CMakeFiles/barrage_scenarios.dir/scenario.c.o.d"
  "/work/wt-engine/scenarios/stages.c" "scenarios/CMakeFiles/barrage_scenarios.dir/stages.c.o" "gcc" "scenarios/CMakeFiles/barrage_scenarios.dir/stages.c.o.d"
  "/work/wt-engine/scenarios/template.c" "scenarios/CMakeFiles/barrage_scenarios.dir/template.c.o" "gcc" "scenarios/CMakeFiles/barrage_scenarios.dir/template.c.o.d"
  "/work/wt-engine/scenarios/yaml_doc.c" "scenarios/CMakeFiles/barrage_scenarios.dir/yaml_doc.c.o" "gcc" "scenarios/CMakeFiles/barrage_scenarios.dir/yaml_doc.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt-engine/build2/common/CMakeFiles/barrage_common.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
