"""Forms of the court site, one module per area."""
