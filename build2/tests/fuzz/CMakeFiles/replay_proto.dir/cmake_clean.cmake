file(REMOVE_RECURSE
  "../replay_proto"
  "../replay_proto.pdb"
  "CMakeFiles/replay_proto.dir/fuzz_proto.c.o"
  "CMakeFiles/replay_proto.dir/fuzz_proto.c.o.d"
  "CMakeFiles/replay_proto.dir/replay.c.o"
  "CMakeFiles/replay_proto.dir/replay.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/replay_proto.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
