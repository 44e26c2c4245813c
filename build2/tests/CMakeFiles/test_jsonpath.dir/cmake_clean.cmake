file(REMOVE_RECURSE
  "CMakeFiles/test_jsonpath.dir/unit/test_jsonpath.c.o"
  "CMakeFiles/test_jsonpath.dir/unit/test_jsonpath.c.o.d"
  "test_jsonpath"
  "test_jsonpath.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_jsonpath.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
