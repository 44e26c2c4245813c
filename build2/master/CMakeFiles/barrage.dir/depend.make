# Empty dependencies file for barrage.
# This may be replaced when dependencies are built.
