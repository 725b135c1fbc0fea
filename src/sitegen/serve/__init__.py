"""`sitegen serve` and `sitegen build --watch`: watch, rebuild, serve, and tell the browser."""
