# Empty dependencies file for barrage_worker_core.
# This may be replaced when dependencies are built.
