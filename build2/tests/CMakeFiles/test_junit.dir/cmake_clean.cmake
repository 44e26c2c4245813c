file(REMOVE_RECURSE
  "CMakeFiles/test_junit.dir/unit/test_junit.c.o"
  "CMakeFiles/test_junit.dir/unit/test_junit.c.o.d"
  "test_junit"
  "test_junit.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_junit.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
