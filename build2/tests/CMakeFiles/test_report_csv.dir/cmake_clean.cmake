file(REMOVE_RECURSE
  "CMakeFiles/test_report_csv.dir/unit/test_report_csv.c.o"
  "CMakeFiles/test_report_csv.dir/unit/test_report_csv.c.o.d"
  "test_report_csv"
  "test_report_csv.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_report_csv.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
