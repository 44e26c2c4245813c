file(REMOVE_RECURSE
  "../replay_servertiming"
  "../replay_servertiming.pdb"
  "CMakeFiles/replay_servertiming.dir/fuzz_servertiming.c.o"
  "CMakeFiles/replay_servertiming.dir/fuzz_servertiming.c.o.d"
  "CMakeFiles/replay_servertiming.dir/replay.c.o"
  "CMakeFiles/replay_servertiming.dir/replay.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/replay_servertiming.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
