file(REMOVE_RECURSE
  "CMakeFiles/test_moves.dir/unit/test_moves.c.o"
  "CMakeFiles/test_moves.dir/unit/test_moves.c.o.d"
  "test_moves"
  "test_moves.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_moves.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
