file(REMOVE_RECURSE
  "CMakeFiles/barrage_worker_core.dir/agent.c.o"
  "CMakeFiles/barrage_worker_core.dir/agent.c.o.d"
  "CMakeFiles/barrage_worker_core.dir/agentcore.c.o"
  "CMakeFiles/barrage_worker_core.dir/agentcore.c.o.d"
  "CMakeFiles/barrage_worker_core.dir/arrival.c.o"
  "CMakeFiles/barrage_worker_core.dir/arrival.c.o.d"
  "CMakeFiles/barrage_worker_core.dir/check.c.o"
  "CMakeFiles/barrage_worker_core.dir/check.c.o.d"
  "CMakeFiles/barrage_worker_core.dir/engine.c.o"
  "CMakeFiles/barrage_worker_core.dir/engine.c.o.d"
  "CMakeFiles/barrage_worker_core.dir/enginecore.c.o"
  "CMakeFiles/barrage_worker_core.dir/enginecore.c.o.d"
  "CMakeFiles/barrage_worker_core.dir/failure.c.o"
  "CMakeFiles/barrage_worker_core.dir/failure.c.o.d"
  "CMakeFiles/barrage_worker_core.dir/fdlimit.c.o"
  "CMakeFiles/barrage_worker_core.dir/fdlimit.c.o.d"
  "CMakeFiles/barrage_worker_core.dir/loop.c.o"
  "CMakeFiles/barrage_worker_core.dir/loop.c.o.d"
  "CMakeFiles/barrage_worker_core.dir/multi.c.o"
  "CMakeFiles/barrage_worker_core.dir/multi.c.o.d"
  "CMakeFiles/barrage_worker_core.dir/plan.c.o"
  "CMakeFiles/barrage_worker_core.dir/plan.c.o.d"
  "CMakeFiles/barrage_worker_core.dir/render.c.o"
  "CMakeFiles/barrage_worker_core.dir/render.c.o.d"
  "CMakeFiles/barrage_worker_core.dir/servertiming.c.o"
  "CMakeFiles/barrage_worker_core.dir/servertiming.c.o.d"
  "CMakeFiles/barrage_worker_core.dir/watch.c.o"
  "CMakeFiles/barrage_worker_core.dir/watch.c.o.d"
  "CMakeFiles/barrage_worker_core.dir/wstats.c.o"
  "CMakeFiles/barrage_worker_core.dir/wstats.c.o.d"
  "libbarrage_worker_core.a"
  "libbarrage_worker_core.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/barrage_worker_core.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
