"""The progress board's Excel export, built in the background by the export kit when it has more
rows than ``KPI_EXPORT_INLINE_ROWS`` (``cms.exports``, issue 47). Registered when the app starts
(``oversight.apps``); the view and the task call the same ``board_export``, and the kind asks the
view's own rule again (``can_see_milestones``, for the person who asked: the rows are the
agencies they reach, the same while their reach is, ``cms.exports.scope_key``)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from cms import exports
from oversight.access import can_see_milestones
from oversight.services.board import board_export, board_file_name, board_filters

BOARD = "oversight.milestones"


def board_params(request, today: datetime.date) -> dict:
    """Who asked, the board's filters and the day it was asked (its statuses and the file's
    name are of that day)."""
    query = {key: request.GET.get(key, "") for key in request.GET}
    return {"user": request.user.pk, "query": query, "today": today.isoformat()}


def _today(params: dict) -> datetime.date:
    return datetime.date.fromisoformat(params["today"])


def _build(params: dict, progress) -> tuple[bytes, str]:
    user = get_user_model().objects.get(pk=params["user"])
    return board_export(user, params["query"], _today(params), progress)


def _title(params: dict) -> str:
    year = board_filters(params["query"], _today(params))["year"]
    return _("Tiến độ thực hiện kế hoạch năm %(year)d") % {"year": year}


def _file_name(params: dict) -> str:
    year = board_filters(params["query"], _today(params))["year"]
    return board_file_name(year, _today(params))


def _allowed(user, params: dict) -> bool:
    """``BoardMixin``'s rule, for the person who asked."""
    return user.pk == params.get("user") and can_see_milestones(user)


exports.register(
    exports.ExportKind(
        name=BOARD,
        title=_title,
        build=lambda params, progress: _build(params, progress)[0],
        allowed=_allowed,
        file_name=_file_name,
    )
)
