"""Text search shared by the domains' search engines (library, desk): per-language analysis with Snowball stems and
stop words, query parsing into PostgreSQL and FTS5 expressions, highlighted snippets, the PostgreSQL configuration
of a row's language."""
