"""The build engine: which route a build takes, what it keeps between builds, and the keys that
decide what a change rebuilds (see builder.py)."""
