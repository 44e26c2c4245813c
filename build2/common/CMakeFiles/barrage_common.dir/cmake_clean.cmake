file(REMOVE_RECURSE
  "CMakeFiles/barrage_common.dir/clock.c.o"
  "CMakeFiles/barrage_common.dir/clock.c.o.d"
  "CMakeFiles/barrage_common.dir/filewrite.c.o"
  "CMakeFiles/barrage_common.dir/filewrite.c.o.d"
  "CMakeFiles/barrage_common.dir/histogram.c.o"
  "CMakeFiles/barrage_common.dir/histogram.c.o.d"
  "CMakeFiles/barrage_common.dir/log.c.o"
  "CMakeFiles/barrage_common.dir/log.c.o.d"
  "CMakeFiles/barrage_common.dir/ramp.c.o"
  "CMakeFiles/barrage_common.dir/ramp.c.o.d"
  "CMakeFiles/barrage_common.dir/rng.c.o"
  "CMakeFiles/barrage_common.dir/rng.c.o.d"
  "CMakeFiles/barrage_common.dir/sha256.c.o"
  "CMakeFiles/barrage_common.dir/sha256.c.o.d"
  "CMakeFiles/barrage_common.dir/strbuf.c.o"
  "CMakeFiles/barrage_common.dir/strbuf.c.o.d"
  "CMakeFiles/barrage_common.dir/suggest.c.o"
  "CMakeFiles/barrage_common.dir/suggest.c.o.d"
  "CMakeFiles/barrage_common.dir/units.c.o"
  "CMakeFiles/barrage_common.dir/units.c.o.d"
  "CMakeFiles/barrage_common.dir/xmalloc.c.o"
  "CMakeFiles/barrage_common.dir/xmalloc.c.o.d"
  "libbarrage_common.a"
  "libbarrage_common.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/barrage_common.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
