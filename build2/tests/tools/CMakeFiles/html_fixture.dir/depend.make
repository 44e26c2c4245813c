# Empty dependencies file for html_fixture.
# This may be replaced when dependencies are built.
