"""Runs the whole Qinglang platform on one machine, for `make up`, the tests and the benchmarks."""
