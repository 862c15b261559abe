"""`make bench`: the platform's figures, measured on this machine, printed as one JSON object."""


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile (q in 0..100) of the measured values: what every figure's _p99 names."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]
