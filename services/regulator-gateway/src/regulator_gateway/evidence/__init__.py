"""A report's evidence (MB-12.2, PA-11.2, BJ-7(8)): the decision and the sealed snapshot of what was stopped, as one
document whose hash the office can check."""
