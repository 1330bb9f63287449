"""Settings split into base (shared), dev, test and production, read from the environment."""
