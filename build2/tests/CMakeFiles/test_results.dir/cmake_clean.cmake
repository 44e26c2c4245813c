file(REMOVE_RECURSE
  "CMakeFiles/test_results.dir/unit/test_results.c.o"
  "CMakeFiles/test_results.dir/unit/test_results.c.o.d"
  "test_results"
  "test_results.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_results.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
