# Empty dependencies file for test_userids.
# This may be replaced when dependencies are built.
