file(REMOVE_RECURSE
  "../barrage-scale-sim"
  "../barrage-scale-sim.pdb"
  "CMakeFiles/barrage-scale-sim.dir/master_scale.c.o"
  "CMakeFiles/barrage-scale-sim.dir/master_scale.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/barrage-scale-sim.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
