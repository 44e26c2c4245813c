file(REMOVE_RECURSE
  "CMakeFiles/barrage_master_core.dir/cli.c.o"
  "CMakeFiles/barrage_master_core.dir/cli.c.o.d"
  "CMakeFiles/barrage_master_core.dir/conductor.c.o"
  "CMakeFiles/barrage_master_core.dir/conductor.c.o.d"
  "CMakeFiles/barrage_master_core.dir/describe.c.o"
  "CMakeFiles/barrage_master_core.dir/describe.c.o.d"
  "CMakeFiles/barrage_master_core.dir/ingest.c.o"
  "CMakeFiles/barrage_master_core.dir/ingest.c.o.d"
  "CMakeFiles/barrage_master_core.dir/live.c.o"
  "CMakeFiles/barrage_master_core.dir/live.c.o.d"
  "CMakeFiles/barrage_master_core.dir/loadplan.c.o"
  "CMakeFiles/barrage_master_core.dir/loadplan.c.o.d"
  "CMakeFiles/barrage_master_core.dir/local.c.o"
  "CMakeFiles/barrage_master_core.dir/local.c.o.d"
  "CMakeFiles/barrage_master_core.dir/registry.c.o"
  "CMakeFiles/barrage_master_core.dir/registry.c.o.d"
  "CMakeFiles/barrage_master_core.dir/secure.c.o"
  "CMakeFiles/barrage_master_core.dir/secure.c.o.d"
  "CMakeFiles/barrage_master_core.dir/zap.c.o"
  "CMakeFiles/barrage_master_core.dir/zap.c.o.d"
  "libbarrage_master_core.a"
  "libbarrage_master_core.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/barrage_master_core.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
