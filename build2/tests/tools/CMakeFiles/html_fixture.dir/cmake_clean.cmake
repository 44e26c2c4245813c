file(REMOVE_RECURSE
  "../html_fixture"
  "../html_fixture.pdb"
  "CMakeFiles/html_fixture.dir/html_fixture.c.o"
  "CMakeFiles/html_fixture.dir/html_fixture.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/html_fixture.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
