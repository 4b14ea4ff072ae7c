"""Query, dockets, documents and reports (reports), and the helper endpoints PACER client
software calls (pacer)."""
