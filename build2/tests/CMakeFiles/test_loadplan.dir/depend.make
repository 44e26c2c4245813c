# Empty dependencies file for test_loadplan.
# This may be replaced when dependencies are built.
