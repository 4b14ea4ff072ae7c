"""The court site's pages: one module per area (the court home, menus and linking; e-file
registration; Maintain Your ECF Account)."""
