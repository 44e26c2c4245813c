file(REMOVE_RECURSE
  "CMakeFiles/test_loadplan.dir/unit/test_loadplan.c.o"
  "CMakeFiles/test_loadplan.dir/unit/test_loadplan.c.o.d"
  "test_loadplan"
  "test_loadplan.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_loadplan.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
