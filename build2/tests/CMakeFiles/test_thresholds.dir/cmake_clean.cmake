file(REMOVE_RECURSE
  "CMakeFiles/test_thresholds.dir/unit/test_thresholds.c.o"
  "CMakeFiles/test_thresholds.dir/unit/test_thresholds.c.o.d"
  "test_thresholds"
  "test_thresholds.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_thresholds.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
