"""The admin's sign-in form: Wagtail's, with the password field labelled (Wagtail's own
redefines the field without a label, so Django shows the English field name "Password")."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"placeholder": _("Nhập mật khẩu")}),
    )
