"""The OpenAPI schema (``/api/v1/schema/``), generated once per process and language."""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

from django.utils import translation


class SchemaView(SpectacularAPIView):
    """drf-spectacular's schema view, keeping what it generated.

    The schema is built from the code alone (URL patterns, serializers, settings and hooks),
    never from the data or from who asks (it is public, ``SERVE_PUBLIC``), yet generating it
    walks every endpoint: 0.5–1 s of each request. It is kept per language (the descriptions
    are translated) and API version, for the life of the process; a deployment restarts the
    process with the new code."""

    _schemas: ClassVar[dict[tuple[str | None, str | None], Any]] = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version)
        if key not in self._schemas:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            self._schemas[key] = generator.get_schema(request=request, public=self.serve_public)
        filename = self._get_filename(request, version)
        return Response(
            data=self._schemas[key],
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )
