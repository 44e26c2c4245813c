file(REMOVE_RECURSE
  "CMakeFiles/test_sha256.dir/unit/test_sha256.c.o"
  "CMakeFiles/test_sha256.dir/unit/test_sha256.c.o.d"
  "test_sha256"
  "test_sha256.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_sha256.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
