
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt-engine/worker/agent.c" "worker/CMakeFiles/barrage_worker_core.dir/agent.c.o" "gcc" "worker/CMakeFiles/barrage_worker_core.dir/agent.c.o.d"
  "/work/wt-engine/worker/agentcore.c" "worker/CMakeFiles/barrage_worker_core.dir/agentcore.c.o" "gcc" "worker/CMakeFiles/barrage_worker_core.dir/agentcore.c.o.d"
  "/work/wt-engine/worker/arrival.c" "worker/CMakeFiles/barrage_worker_core.dir/arrival.c.o" "gcc" "worker/CMakeFiles/barrage_worker_core.dir/arrival.c.o.d"
  "/work/wt-engine/worker/check.c" "worker/CMakeFiles/barrage_worker_core.dir/check.c.o" "gcc" "worker/CMakeFiles/barrage_worker_core.dir/check.c.o.d"
  "/work/wt-engine/worker/engine.c" "worker/CMakeFiles/barrage_worker_core.dir/engine.c.o" "gcc" "worker/CMakeFiles/barrage_worker_core.dir/engine.c.o.d"
  "/work/wt-engine/worker/enginecore.c" "worker/CMakeFiles/barrage_worker_core.dir/enginecore.c.o" "gcc" "worker/CMakeFiles/barrage_worker_core.dir/enginecore.c.o.d"
  "/work/wt-engine/worker/failure.c" "worker/CMakeFiles/barrage_worker_core.dir/failure.c.o" "gcc" "worker/CMakeFiles/barrage_worker_core.dir/failure.c.o.d"
  "/work/wt-engine/worker/fdlimit.c" "worker/CMakeFiles/barrage_worker_core.dir/fdlimit.c.o" "gcc" "worker/CMakeFiles/barrage_worker_core.dir/fdlimit.c.o.d"
  "/work/wt-engine/worker/loop.c" "worker/CMakeFiles/barrage_worker_core.dir/loop.c.o" "gcc" "worker/CMakeFiles/barrage_worker_core.dir/loop.c.o.d"
  "/work/wt-engine/worker/multi.c" "worker/CMakeFiles/barrage_worker_core.dir/multi.c.o" "gcc" "worker/CMakeFiles/barrage_worker_core.dir/multi.c.o.d"
  "/work/wt-engine/worker/plan.c" "worker/CMakeFiles/barrage_worker_core.dir/plan.c.o" "gcc" "worker/CMakeFiles/barrage_worker_core.dir/plan.c.o.d"
  "/work/wt-engine/worker/render.c" "worker/CMakeFiles/barrage_worker_core.dir/render.c.o" "gcc" "worker/CMakeFiles/barrage_worker_core.dir/render.c.o.d"
  "/work/wt-engine/worker/servertiming.c" "worker/CMakeFiles/barrage_worker_core.dir/servertiming.c.o" "gcc" "worker/CMakeFiles/barrage_worker_core.dir/servertiming.c.o.d"
  "/work/wt-engine/worker/watch.c" "worker/CMakeFiles/barrage_worker_core.dir/watch.c.o" "gcc" "worker/CMakeFiles/barrage_worker_core.dir/watch.c.o.d"
  "/work/wt-engine/worker/wstats.c" "worker/CMakeFiles/barrage_worker_core.dir/wstats.c.o" "gcc" "worker/CMakeFiles/barrage_worker_core.dir/wstats.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt-engine/build2/load/CMakeFiles/barrage_load.dir/DependInfo.cmake"
  "/work/wt-engine/build2/scenarios/CMakeFiles/barrage_scenarios.dir/DependInfo.cmake"
  "/work/wt-engine/build2/proto/CMakeFiles/barrage_proto.dir/DependInfo.cmake"
  "/work/wt-engine/build2/common/CMakeFiles/barrage_common.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
