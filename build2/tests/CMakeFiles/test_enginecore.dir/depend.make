# Empty dependencies file for test_enginecore.
# This may be replaced when dependencies are built.
