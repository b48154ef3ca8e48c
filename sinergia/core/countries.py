"""ISO 3166-1 countries: the codes, and their names in the active language (django-countries' translations)."""

from django_countries import countries


def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code."""
    return frozenset(code for code, _name in countries)


def country_name(code: str) -> str:
    """The country's name in the active language, or the code itself when it is not a country."""
    return str(countries.name(code)) or code


def country_choices() -> list[tuple[str, str]]:
    """(code, "Name (code)") for every country, sorted by name in the active language."""
    return [(code, f"{name} ({code})") for code, name in countries]
