file(REMOVE_RECURSE
  "../../barrage-target"
  "../../barrage-target.pdb"
  "CMakeFiles/barrage-target.dir/buf.c.o"
  "CMakeFiles/barrage-target.dir/buf.c.o.d"
  "CMakeFiles/barrage-target.dir/conn.c.o"
  "CMakeFiles/barrage-target.dir/conn.c.o.d"
  "CMakeFiles/barrage-target.dir/counters.c.o"
  "CMakeFiles/barrage-target.dir/counters.c.o.d"
  "CMakeFiles/barrage-target.dir/dist.c.o"
  "CMakeFiles/barrage-target.dir/dist.c.o.d"
  "CMakeFiles/barrage-target.dir/faults.c.o"
  "CMakeFiles/barrage-target.dir/faults.c.o.d"
  "CMakeFiles/barrage-target.dir/http.c.o"
  "CMakeFiles/barrage-target.dir/http.c.o.d"
  "CMakeFiles/barrage-target.dir/main.c.o"
  "CMakeFiles/barrage-target.dir/main.c.o.d"
  "CMakeFiles/barrage-target.dir/routes.c.o"
  "CMakeFiles/barrage-target.dir/routes.c.o.d"
  "CMakeFiles/barrage-target.dir/server.c.o"
  "CMakeFiles/barrage-target.dir/server.c.o.d"
  "CMakeFiles/barrage-target.dir/timers.c.o"
  "CMakeFiles/barrage-target.dir/timers.c.o.d"
  "CMakeFiles/barrage-target.dir/tokens.c.o"
  "CMakeFiles/barrage-target.dir/tokens.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/barrage-target.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
