from django.urls import path

from support import views

urlpatterns = [
    path("ho-tro/", views.HelpView.as_view(), name="support_help"),
    path("ho-tro/kien-nghi/", views.RequestListView.as_view(), name="support_requests"),
    path("ho-tro/kien-nghi/xlsx/", views.RequestExportView.as_view(), name="support_requests_xlsx"),
    path("ho-tro/kien-nghi/gui/", views.RaiseView.as_view(), name="support_raise"),
    path("ho-tro/kien-nghi/<int:pk>/", views.RequestDetailView.as_view(), name="support_request"),
    path("ho-tro/tep/<int:pk>/", views.AttachmentView.as_view(), name="support_attachment"),
    path("ho-tro/thong-ke/", views.UsageView.as_view(), name="support_usage"),
]
