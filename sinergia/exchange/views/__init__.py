"""Pages of the exchange."""
