file(REMOVE_RECURSE
  "CMakeFiles/test_servertiming.dir/unit/test_servertiming.c.o"
  "CMakeFiles/test_servertiming.dir/unit/test_servertiming.c.o.d"
  "test_servertiming"
  "test_servertiming.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_servertiming.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
