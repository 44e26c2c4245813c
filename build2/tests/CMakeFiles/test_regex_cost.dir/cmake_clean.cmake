file(REMOVE_RECURSE
  "CMakeFiles/test_regex_cost.dir/unit/test_regex_cost.c.o"
  "CMakeFiles/test_regex_cost.dir/unit/test_regex_cost.c.o.d"
  "test_regex_cost"
  "test_regex_cost.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_regex_cost.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
