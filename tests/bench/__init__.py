"""Benchmark our full site against stock Pelican on a synthetic archive, cold and incremental.

`make bench N=1000` generates N articles (archive.py), builds them with our site and with stock Pelican,
each build in its own process (driver.py), times three rebuilds of each, counts the files each rewrote and
changed (measure.py), prints a table (report.py) and saves bench-output/bench-<N>.json (runner.py).
Nothing is imported here, so that the driver's own timing of imports starts from a bare interpreter.
"""
