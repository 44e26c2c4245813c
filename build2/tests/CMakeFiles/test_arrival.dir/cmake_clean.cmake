file(REMOVE_RECURSE
  "CMakeFiles/test_arrival.dir/unit/test_arrival.c.o"
  "CMakeFiles/test_arrival.dir/unit/test_arrival.c.o.d"
  "test_arrival"
  "test_arrival.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_arrival.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
