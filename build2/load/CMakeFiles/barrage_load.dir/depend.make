# Empty dependencies file for barrage_load.
# This may be replaced when dependencies are built.
