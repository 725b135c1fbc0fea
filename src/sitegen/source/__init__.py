"""Reading a site: site.yaml, front matter and the files of content/ and static/, validated."""
