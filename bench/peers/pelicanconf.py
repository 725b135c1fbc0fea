# Pelican's side of the benchmark: post pages, a paginated index, tag pages and full-content feeds,
# with its content cache on (the second build is its rebuild).
AUTHOR = "Benchmark"
SITENAME = "Benchmark Letters"
SITEURL = "https://example.org/letters"
PATH = "content"
ARTICLE_PATHS = ["posts"]
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
FEED_MAX_ITEMS = 20
RSS_FEED_SUMMARY_ONLY = False
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
CACHE_PATH = "cache"
DELETE_OUTPUT_DIRECTORY = False
