# Empty dependencies file for test_regex_cost.
# This may be replaced when dependencies are built.
