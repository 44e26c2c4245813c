file(REMOVE_RECURSE
  "CMakeFiles/barrage_proto.dir/keys.c.o"
  "CMakeFiles/barrage_proto.dir/keys.c.o.d"
  "CMakeFiles/barrage_proto.dir/proto.c.o"
  "CMakeFiles/barrage_proto.dir/proto.c.o.d"
  "CMakeFiles/barrage_proto.dir/wire.c.o"
  "CMakeFiles/barrage_proto.dir/wire.c.o.d"
  "libbarrage_proto.a"
  "libbarrage_proto.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/barrage_proto.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
