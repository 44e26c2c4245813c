# Empty dependencies file for barrage_master_core.
# This may be replaced when dependencies are built.
