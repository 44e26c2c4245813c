file(REMOVE_RECURSE
  "CMakeFiles/barrage_load.dir/moves.c.o"
  "CMakeFiles/barrage_load.dir/moves.c.o.d"
  "CMakeFiles/barrage_load.dir/rebalance.c.o"
  "CMakeFiles/barrage_load.dir/rebalance.c.o.d"
  "CMakeFiles/barrage_load.dir/schedule.c.o"
  "CMakeFiles/barrage_load.dir/schedule.c.o.d"
  "CMakeFiles/barrage_load.dir/split.c.o"
  "CMakeFiles/barrage_load.dir/split.c.o.d"
  "CMakeFiles/barrage_load.dir/userids.c.o"
  "CMakeFiles/barrage_load.dir/userids.c.o.d"
  "libbarrage_load.a"
  "libbarrage_load.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/barrage_load.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
