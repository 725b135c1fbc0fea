"""Output files -> the output folder: inside it only, atomic, unchanged files left alone."""
