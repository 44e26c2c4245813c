file(REMOVE_RECURSE
  "CMakeFiles/test_report_json.dir/unit/test_report_json.c.o"
  "CMakeFiles/test_report_json.dir/unit/test_report_json.c.o.d"
  "test_report_json"
  "test_report_json.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_report_json.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
