"""The activation slips of a batch (issue 47): one printable page, built at once for a small
batch and by the export kit (``cms.exports``) for a whole agency's, with the same builder. The
codes travel to the background job sealed (``accounts.sealing``) and the finished page is stored
sealed; only the person who ran the batch opens it (``accounts.views.SlipsView``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from accounts.models import AccountBatch
from accounts.roles import is_account_admin
from accounts.sealing import seal, unseal
from cms import exports

SLIPS = "accounts.slips"


def slip_of(user, code: str) -> dict:
    """One slip: the person's name, sign-in name, official id, unit and code."""
    person = getattr(user, "civil_servant", None)
    unit = ""
    if person is not None:
        posting = person.postings.order_by("-start_date").select_related("agency").first()
        unit = posting.agency.name if posting else ""
    return {
        "name": user.full_name,
        "username": user.username,
        "official_id": person.official_id if person else "",
        "unit": unit,
        "code": code,
    }


def slips_page(codes: dict[str, str], activation_url: str, days: int, progress=None) -> str:
    """The printable page of the slips of ``codes`` (user id → code), grouped by unit."""
    users = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(pk__in=[int(k) for k in codes])
        .select_related("civil_servant")
    }
    slips = []
    for key, code in codes.items():
        if int(key) in users:
            slips.append(slip_of(users[int(key)], code))
            if progress is not None:
                progress(len(slips))
    slips.sort(key=lambda s: (s["unit"], s["name"]))
    return render_to_string(
        "accounts/slips.html",
        {"slips": slips, "activation_url": activation_url, "days": days},
    )


def job_params(batch: AccountBatch, codes: dict[str, str], activation_url: str, days: int):
    """What the background job needs: the codes sealed, never in clear in the database."""
    return {"batch": batch.pk, "codes": seal(codes), "url": activation_url, "days": days}


def _build(params: dict, progress) -> bytes:
    codes = unseal(params["codes"])
    return slips_page(codes, params["url"], params["days"], progress).encode()


def _allowed(user, params: dict) -> bool:
    """The batch's own pages' rule: an account admin, who ran the batch."""
    return (
        is_account_admin(user)
        and AccountBatch.objects.filter(pk=params.get("batch"), created_by=user).exists()
    )


exports.register(
    exports.ExportKind(
        name=SLIPS,
        title=lambda params: (
            _("Phiếu kích hoạt tài khoản, lần tạo #%(id)d") % {"id": params["batch"]}
        ),
        build=_build,
        allowed=_allowed,
        file_name=lambda params: f"phieu-kich-hoat-{params['batch']}.html",
        content_type="text/html; charset=utf-8",
        attachment=False,
        sealed=True,
    )
)
