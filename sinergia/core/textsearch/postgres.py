"""PostgreSQL full-text pieces shared by the search engines: the configuration of a row's language tag."""

from sinergia.core.textsearch.analysis import SIMPLE, STEMMED_LANGUAGES

LANGUAGE_SQL = "split_part(lower({column}), '-', 1)"


def config_sql(column: str) -> str:
    """The text search configuration of a row's language tag, as a regconfig expression."""
    cases = " ".join(f"WHEN '{family}' THEN '{config}'" for family, config in STEMMED_LANGUAGES.items())
    return f"(CASE {LANGUAGE_SQL.format(column=column)} {cases} ELSE '{SIMPLE}' END)::regconfig"
