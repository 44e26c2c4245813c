# Empty dependencies file for test_sha256.
# This may be replaced when dependencies are built.
