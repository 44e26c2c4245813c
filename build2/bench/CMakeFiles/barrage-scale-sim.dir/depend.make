# Empty dependencies file for barrage-scale-sim.
# This may be replaced when dependencies are built.
