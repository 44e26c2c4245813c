file(REMOVE_RECURSE
  "CMakeFiles/test_split.dir/unit/test_split.c.o"
  "CMakeFiles/test_split.dir/unit/test_split.c.o.d"
  "test_split"
  "test_split.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_split.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
