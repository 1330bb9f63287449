"""The account pages outside the admin (activation, forced password change, second factor,
single sign-on), mounted at /tai-khoan/ by cms.urls; the admin pages are in ``admin_urls``."""

from django.urls import path

from accounts import otp_views, views

urlpatterns = [
    path("kich-hoat/", views.activate_view, name="accounts_activate"),
    path("doi-mat-khau/", views.change_password_view, name="accounts_change_password"),
    path("dang-nhap-mot-lan/tu-choi/", views.sso_refused_view, name="accounts_sso_refused"),
    path("dang-nhap-mot-lan/lien-ket/", views.sso_link_view, name="accounts_sso_link"),
    path("xac-thuc/", otp_views.verify_view, name="accounts_otp_verify"),
    path("xac-thuc/thiet-lap/", otp_views.setup_view, name="accounts_otp_setup"),
]

admin_urlpatterns = [
    path("tai-khoan/", views.IndexView.as_view(), name="accounts_index"),
    path("tai-khoan/lo/<int:pk>/", views.BatchView.as_view(), name="accounts_batch"),
    path("tai-khoan/lo/<int:pk>/phieu/", views.SlipsView.as_view(), name="accounts_slips"),
    path(
        "tai-khoan/lo/<int:pk>/cap-ma/",
        views.BatchReissueView.as_view(),
        name="accounts_batch_reissue",
    ),
    path(
        "tai-khoan/dang-nhap-mot-lan/",
        views.SsoAccountView.as_view(),
        name="accounts_sso_account",
    ),
    path(
        "tai-khoan/<int:pk>/<str:action>/",
        views.UserActionView.as_view(),
        name="accounts_user_action",
    ),
]
