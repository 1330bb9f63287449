"""The three marks of a contract worker scored by the framework's own method (M7), by code and
name: pure data, so the explanation's text (``scoring.explain``) and the general marks' rules
name them without asking a service. Whether they apply and how a period is scored from them is
``scoring.services.contract_workers``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: ``org.PersonCategory.CONTRACT_WORKER`` (not imported: the scorer reads it on hot rows).
CATEGORY = "contract_worker"
#: The ``GeneralCriteriaMark.component`` of the three marks ("lao động hợp đồng").
COMPONENT = "hop_dong"
#: The option value of ``individual.contract_workers`` that scores them by this method.
OWN_METHOD = "own_method"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ContractCriterion:
    """One of the three marks, shaped like the framework's ``SubCriterion`` (code, label,
    maximum) so that Form 01 and the import list it like a general criterion."""

    code: str
    #: The engine's name (``scoring.engine.constants.CONTRACT_CRITERIA``).
    engine: str
    number: str
    label: str | Promise
    max_points: Decimal = HUNDRED


CRITERIA: tuple[ContractCriterion, ...] = (
    ContractCriterion("chat_luong", "quality", "1", _("Chất lượng thực hiện công việc (%)")),
    ContractCriterion(
        "chap_hanh", "compliance", "2", _("Ý thức chấp hành nội quy, kỷ luật lao động (%)")
    ),
    ContractCriterion("hieu_qua", "effectiveness", "3", _("Hiệu quả công việc (%)")),
)
BY_CODE = {criterion.code: criterion for criterion in CRITERIA}


def short_name(code: str) -> str:
    """How a mark of this component is named in a sentence: its label without "(%)"."""
    criterion = BY_CODE.get(code)
    return str(criterion.label).removesuffix(" (%)") if criterion else code
