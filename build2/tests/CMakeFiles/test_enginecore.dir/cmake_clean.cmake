file(REMOVE_RECURSE
  "CMakeFiles/test_enginecore.dir/unit/test_enginecore.c.o"
  "CMakeFiles/test_enginecore.dir/unit/test_enginecore.c.o.d"
  "test_enginecore"
  "test_enginecore.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_enginecore.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
