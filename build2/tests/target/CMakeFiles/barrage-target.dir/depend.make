# Empty dependencies file for barrage-target.
# This may be replaced when dependencies are built.
