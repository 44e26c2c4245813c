# Empty dependencies file for test_jsonpath.
# This may be replaced when dependencies are built.
