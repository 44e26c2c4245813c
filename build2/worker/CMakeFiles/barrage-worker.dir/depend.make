# Empty dependencies file for barrage-worker.
# This may be replaced when dependencies are built.
