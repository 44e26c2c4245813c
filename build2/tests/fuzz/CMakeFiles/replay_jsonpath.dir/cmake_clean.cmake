file(REMOVE_RECURSE
  "../replay_jsonpath"
  "../replay_jsonpath.pdb"
  "CMakeFiles/replay_jsonpath.dir/fuzz_jsonpath.c.o"
  "CMakeFiles/replay_jsonpath.dir/fuzz_jsonpath.c.o.d"
  "CMakeFiles/replay_jsonpath.dir/replay.c.o"
  "CMakeFiles/replay_jsonpath.dir/replay.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/replay_jsonpath.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
