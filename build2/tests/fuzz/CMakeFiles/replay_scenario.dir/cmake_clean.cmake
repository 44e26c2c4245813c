file(REMOVE_RECURSE
  "../replay_scenario"
  "../replay_scenario.pdb"
  "CMakeFiles/replay_scenario.dir/fuzz_scenario.c.o"
  "CMakeFiles/replay_scenario.dir/fuzz_scenario.c.o.d"
  "CMakeFiles/replay_scenario.dir/replay.c.o"
  "CMakeFiles/replay_scenario.dir/replay.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/replay_scenario.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
