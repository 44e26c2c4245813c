file(REMOVE_RECURSE
  "CMakeFiles/test_proto.dir/unit/test_proto.c.o"
  "CMakeFiles/test_proto.dir/unit/test_proto.c.o.d"
  "test_proto"
  "test_proto.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_proto.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
