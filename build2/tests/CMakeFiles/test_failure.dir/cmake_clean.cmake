file(REMOVE_RECURSE
  "CMakeFiles/test_failure.dir/unit/test_failure.c.o"
  "CMakeFiles/test_failure.dir/unit/test_failure.c.o.d"
  "test_failure"
  "test_failure.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_failure.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
