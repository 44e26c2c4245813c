file(REMOVE_RECURSE
  "CMakeFiles/test_multi.dir/unit/test_multi.c.o"
  "CMakeFiles/test_multi.dir/unit/test_multi.c.o.d"
  "test_multi"
  "test_multi.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_multi.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
