file(REMOVE_RECURSE
  "CMakeFiles/test_userids.dir/unit/test_userids.c.o"
  "CMakeFiles/test_userids.dir/unit/test_userids.c.o.d"
  "test_userids"
  "test_userids.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_userids.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
