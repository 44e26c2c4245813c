# Empty dependencies file for barrage_scenarios.
# This may be replaced when dependencies are built.
