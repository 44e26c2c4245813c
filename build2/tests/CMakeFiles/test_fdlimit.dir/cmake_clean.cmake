file(REMOVE_RECURSE
  "CMakeFiles/test_fdlimit.dir/unit/test_fdlimit.c.o"
  "CMakeFiles/test_fdlimit.dir/unit/test_fdlimit.c.o.d"
  "test_fdlimit"
  "test_fdlimit.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_fdlimit.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
