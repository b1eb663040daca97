"""Business rules: plain Python, no AWS types."""
