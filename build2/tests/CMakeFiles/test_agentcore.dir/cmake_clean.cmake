file(REMOVE_RECURSE
  "CMakeFiles/test_agentcore.dir/unit/test_agentcore.c.o"
  "CMakeFiles/test_agentcore.dir/unit/test_agentcore.c.o.d"
  "test_agentcore"
  "test_agentcore.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_agentcore.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
