file(REMOVE_RECURSE
  "CMakeFiles/test_describe.dir/unit/test_describe.c.o"
  "CMakeFiles/test_describe.dir/unit/test_describe.c.o.d"
  "test_describe"
  "test_describe.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_describe.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
