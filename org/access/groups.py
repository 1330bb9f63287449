"""The names of the built-in groups every app's policy grants rights to.

Plain names, with no query and no import from the rest of the package: the reach
(``org.access.user_reach``) and every app's ``policy.py`` read them, so they sit at the bottom.
Whether a user is in a group is asked of their reach (``group_names``, ``is_home_affairs``).
"""

from __future__ import annotations

HOME_AFFAIRS_GROUP = "Sở Nội vụ"
AGENCY_ADMIN_GROUP = "Quản trị cơ quan"
UNIT_LEADER_GROUP = "Lãnh đạo đơn vị"
CIVIL_SERVANT_GROUP = "Công chức"
#: The Office of the province People's Committee: enters the tasks the province assigned to
#: departments and communes each quarter (Gia Lai plan §V.3; docs/organisation-scoring.md §9).
PROVINCE_OFFICE_GROUP = "Văn phòng UBND tỉnh"
#: The appraisers of a bloc's lead body (Ban Tổ chức Tỉnh ủy, the Front's standing committee):
#: with an ``AgencyAccess`` of role ``bloc_appraiser`` on that body (``org.blocs``).
BLOC_APPRAISER_GROUP = "Thẩm định khối"
