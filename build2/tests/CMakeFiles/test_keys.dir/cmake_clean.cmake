file(REMOVE_RECURSE
  "CMakeFiles/test_keys.dir/unit/test_keys.c.o"
  "CMakeFiles/test_keys.dir/unit/test_keys.c.o.d"
  "test_keys"
  "test_keys.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_keys.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
