file(REMOVE_RECURSE
  "CMakeFiles/test_summary.dir/unit/test_summary.c.o"
  "CMakeFiles/test_summary.dir/unit/test_summary.c.o.d"
  "test_summary"
  "test_summary.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_summary.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
