"""`sitegen check`: the links of a built site, inside it and, on request, to other sites."""
