file(REMOVE_RECURSE
  "../replay_capture"
  "../replay_capture.pdb"
  "CMakeFiles/replay_capture.dir/fuzz_capture.c.o"
  "CMakeFiles/replay_capture.dir/fuzz_capture.c.o.d"
  "CMakeFiles/replay_capture.dir/replay.c.o"
  "CMakeFiles/replay_capture.dir/replay.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/replay_capture.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
