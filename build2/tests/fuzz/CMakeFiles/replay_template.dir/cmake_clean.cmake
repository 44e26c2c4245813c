file(REMOVE_RECURSE
  "../replay_template"
  "../replay_template.pdb"
  "CMakeFiles/replay_template.dir/fuzz_template.c.o"
  "CMakeFiles/replay_template.dir/fuzz_template.c.o.d"
  "CMakeFiles/replay_template.dir/replay.c.o"
  "CMakeFiles/replay_template.dir/replay.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/replay_template.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
