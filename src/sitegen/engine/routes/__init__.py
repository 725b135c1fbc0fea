"""The ways a build can go, each in its own module, tried in order by engine.builder."""
