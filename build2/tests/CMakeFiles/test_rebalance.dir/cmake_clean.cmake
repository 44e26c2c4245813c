file(REMOVE_RECURSE
  "CMakeFiles/test_rebalance.dir/unit/test_rebalance.c.o"
  "CMakeFiles/test_rebalance.dir/unit/test_rebalance.c.o.d"
  "test_rebalance"
  "test_rebalance.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_rebalance.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
