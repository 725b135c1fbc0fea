"""`sitegen init`, `sitegen new` and `sitegen theme eject`: files a writer starts from."""
