# Empty dependencies file for barrage_common.
# This may be replaced when dependencies are built.
