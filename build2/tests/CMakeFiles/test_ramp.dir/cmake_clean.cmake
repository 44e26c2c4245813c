file(REMOVE_RECURSE
  "CMakeFiles/test_ramp.dir/unit/test_ramp.c.o"
  "CMakeFiles/test_ramp.dir/unit/test_ramp.c.o.d"
  "test_ramp"
  "test_ramp.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_ramp.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
