"""Lookups shared by the views: a case the user may see, or 404/403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ratings.access import can_view_case
from ratings.models import RatingCase


def get_case(request, pk) -> RatingCase:
    case = get_object_or_404(
        RatingCase.objects.select_related(
            "civil_servant", "subject_agency", "agency", "rater_agency", "annual_score"
        ),
        pk=pk,
    )
    if not can_view_case(request.user, case):
        raise PermissionDenied
    return case
