file(REMOVE_RECURSE
  "CMakeFiles/test_scenario.dir/unit/test_scenario.c.o"
  "CMakeFiles/test_scenario.dir/unit/test_scenario.c.o.d"
  "test_scenario"
  "test_scenario.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_scenario.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
