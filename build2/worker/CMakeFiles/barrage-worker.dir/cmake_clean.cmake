file(REMOVE_RECURSE
  "../barrage-worker"
  "../barrage-worker.pdb"
  "CMakeFiles/barrage-worker.dir/main.c.o"
  "CMakeFiles/barrage-worker.dir/main.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/barrage-worker.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
