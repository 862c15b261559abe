"""`make bench`: the platform's figures, measured on this machine, printed as one JSON object."""
