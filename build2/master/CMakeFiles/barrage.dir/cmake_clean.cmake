file(REMOVE_RECURSE
  "../barrage"
  "../barrage.pdb"
  "CMakeFiles/barrage.dir/main.c.o"
  "CMakeFiles/barrage.dir/main.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/barrage.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
