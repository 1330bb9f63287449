"""Suite-wide pytest configuration. Django settings: cms.settings.test (see pyproject.toml)."""
