file(REMOVE_RECURSE
  "CMakeFiles/barrage_scenarios.dir/classes.c.o"
  "CMakeFiles/barrage_scenarios.dir/classes.c.o.d"
  "CMakeFiles/barrage_scenarios.dir/csv.c.o"
  "CMakeFiles/barrage_scenarios.dir/csv.c.o.d"
  "CMakeFiles/barrage_scenarios.dir/encode.c.o"
  "CMakeFiles/barrage_scenarios.dir/encode.c.o.d"
  "CMakeFiles/barrage_scenarios.dir/json_emit.c.o"
  "CMakeFiles/barrage_scenarios.dir/json_emit.c.o.d"
  "CMakeFiles/barrage_scenarios.dir/jsonpath.c.o"
  "CMakeFiles/barrage_scenarios.dir/jsonpath.c.o.d"
  "CMakeFiles/barrage_scenarios.dir/regex_cost.c.o"
  "CMakeFiles/barrage_scenarios.dir/regex_cost.c.o.d"
  "CMakeFiles/barrage_scenarios.dir/requests.c.o"
  "CMakeFiles/barrage_scenarios.dir/requests.c.o.d"
  "CMakeFiles/barrage_scenarios.dir/scenario.c.o"
  "CMakeFiles/barrage_scenarios.dir/scenario.c.o.d"
  "CMakeFiles/barrage_scenarios.dir/stages.c.o"
  "CMakeFiles/barrage_scenarios.dir/stages.c.o.d"
  "CMakeFiles/barrage_scenarios.dir/template.c.o"
  "CMakeFiles/barrage_scenarios.dir/template.c.o.d"
  "CMakeFiles/barrage_scenarios.dir/yaml_doc.c.o"
  "CMakeFiles/barrage_scenarios.dir/yaml_doc.c.o.d"
  "libbarrage_scenarios.a"
  "libbarrage_scenarios.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/barrage_scenarios.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
