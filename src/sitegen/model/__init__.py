"""The site model: posts, pages, authors and tags, linked and sorted; feeds and the connect action."""
