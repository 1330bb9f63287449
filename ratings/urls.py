"""Admin URLs of the rating process (registered through ``register_admin_urls``)."""

from django.urls import path

from ratings.views.agency_results import AgencyResultsView
from ratings.views.bonus import BonusExportView, PartyReviewExportView
from ratings.views.cases import CaseActionView, CaseDetailView, CaseIndexView, OpenCasesView
from ratings.views.competency_gaps import CompetencyGapsExportView, CompetencyGapsView
from ratings.views.deadlines import DeadlinesView
from ratings.views.files import AttachmentView, MinutesView
from ratings.views.form01_entry import Form01EntryView
from ratings.views.half_years import HalfYearExportView, HalfYearListView
from ratings.views.hr_history import HrHistoryExportView, HrHistoryListView, HrPersonView
from ratings.views.mine import MyHalfYearExportView, MyRatingsView
from ratings.views.period_complaints import (
    PeriodComplaintAttachmentView,
    PeriodComplaintDetailView,
    PeriodComplaintFileView,
    PeriodComplaintListView,
)
from ratings.views.printing import (
    Form01PrintView,
    Form01XlsxView,
    Form02PrintView,
    Form02XlsxView,
)
from ratings.views.related_opinions import AnswerView, AskedOpinionsView, CaseOpinionsView

urlpatterns = [
    path("ratings/", CaseIndexView.as_view(), name="ratings_cases"),
    path(
        "ratings/results/",
        CaseIndexView.as_view(results_only=True),
        name="ratings_cases_results",
    ),
    path("ratings/open/", OpenCasesView.as_view(), name="ratings_open"),
    path("ratings/cases/<int:pk>/", CaseDetailView.as_view(), name="ratings_case"),
    path(
        "ratings/cases/<int:pk>/act/<slug:action>/",
        CaseActionView.as_view(),
        name="ratings_case_action",
    ),
    path("ratings/cases/<int:pk>/form-02/", Form02PrintView.as_view(), name="ratings_form02"),
    path(
        "ratings/cases/<int:pk>/y-kien-lien-quan/",
        CaseOpinionsView.as_view(),
        name="ratings_case_opinions",
    ),
    path("ratings/y-kien-lien-quan/", AskedOpinionsView.as_view(), name="ratings_opinions_asked"),
    path("ratings/y-kien-lien-quan/<int:pk>/", AnswerView.as_view(), name="ratings_opinion_answer"),
    path(
        "ratings/cases/<int:pk>/form-02.xlsx", Form02XlsxView.as_view(), name="ratings_form02_xlsx"
    ),
    path("ratings/cases/<int:pk>/minutes/", MinutesView.as_view(), name="ratings_minutes"),
    path("ratings/attachments/<int:pk>/", AttachmentView.as_view(), name="ratings_attachment"),
    path("ratings/scores/<int:pk>/form-01/", Form01PrintView.as_view(), name="ratings_form01"),
    path(
        "ratings/scores/<int:pk>/form-01.xlsx", Form01XlsxView.as_view(), name="ratings_form01_xlsx"
    ),
    path(
        "ratings/form-01/<int:person>/<int:period>/",
        Form01EntryView.as_view(),
        name="ratings_form01_entry",
    ),
    path("ratings/my/", MyRatingsView.as_view(), name="ratings_my"),
    path("ratings/my/6-thang.xlsx", MyHalfYearExportView.as_view(), name="ratings_my_half_year"),
    path("ratings/agency-results/", AgencyResultsView.as_view(), name="ratings_agency_results"),
    path(
        "ratings/period-complaints/",
        PeriodComplaintListView.as_view(),
        name="ratings_period_complaints",
    ),
    path(
        "ratings/period-complaints/<int:pk>/",
        PeriodComplaintDetailView.as_view(),
        name="ratings_period_complaint",
    ),
    path(
        "ratings/scores/<int:pk>/complain/",
        PeriodComplaintFileView.as_view(),
        name="ratings_period_complaint_file",
    ),
    path(
        "ratings/period-complaint-files/<int:pk>/",
        PeriodComplaintAttachmentView.as_view(),
        name="ratings_period_complaint_attachment",
    ),
    path("ratings/deadlines/", DeadlinesView.as_view(), name="ratings_deadlines"),
    path("ratings/bonus/", BonusExportView.as_view(), name="ratings_bonus_export"),
    path(
        "ratings/dang-vien-thi-dua/",
        PartyReviewExportView.as_view(),
        name="ratings_party_review_export",
    ),
    path("ratings/hr/", HrHistoryListView.as_view(), name="ratings_hr_history"),
    path("ratings/hr/export.xlsx", HrHistoryExportView.as_view(), name="ratings_hr_history_xlsx"),
    path("ratings/hr/people/<int:pk>/", HrPersonView.as_view(), name="ratings_hr_person"),
    path(
        "ratings/hr/khoang-cach-nang-luc/",
        CompetencyGapsView.as_view(),
        name="ratings_competency_gaps",
    ),
    path(
        "ratings/hr/khoang-cach-nang-luc.xlsx",
        CompetencyGapsExportView.as_view(),
        name="ratings_competency_gaps_xlsx",
    ),
    path("ratings/6-thang/", HalfYearListView.as_view(), name="ratings_half_years"),
    path("ratings/6-thang.xlsx", HalfYearExportView.as_view(), name="ratings_half_years_xlsx"),
]
