from dashboards.models.pages import AgencyResultsPage, MethodPage, TransparencyIndexPage
from dashboards.models.snapshot import PublicSnapshot

__all__ = ["AgencyResultsPage", "MethodPage", "PublicSnapshot", "TransparencyIndexPage"]
