"""Views of the public API (v1), one module per resource group (an OpenAPI tag).

``root`` (the API root and its JSON 404), ``preview`` (score preview), ``reference`` (agencies,
job positions, periods), ``catalogs``, ``frameworks``, ``people``, ``results`` (lines, scores,
ratings), ``aggregates``, ``integration`` (writes by integration systems) and
``national_export``; ``common`` holds what the read endpoints share. Their shapes are in the
module of the same name in :mod:`api.serializers`; the URLs in :mod:`api.urls`.
"""
