"""Writers turn the site index into bytes: feeds, sitemaps. No file I/O here."""
