file(REMOVE_RECURSE
  "CMakeFiles/test_wstats.dir/unit/test_wstats.c.o"
  "CMakeFiles/test_wstats.dir/unit/test_wstats.c.o.d"
  "test_wstats"
  "test_wstats.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_wstats.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
