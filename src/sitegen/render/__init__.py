"""The site model -> pages (a theme's templates), feeds and the files for search engines and hosts."""
