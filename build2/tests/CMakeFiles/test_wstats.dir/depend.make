# Empty dependencies file for test_wstats.
# This may be replaced when dependencies are built.
