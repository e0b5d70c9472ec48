"""Page routes, one module per concept."""
