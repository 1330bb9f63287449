"""Request and response shapes of the public API (v1), one module per resource group, named
as its views in :mod:`api.views`; ``common`` holds the fields the read serializers share."""
