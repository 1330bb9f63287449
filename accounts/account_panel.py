"""The person's own account events on their account page (``/admin/account/``): sign-ins and
their failures, resets, enrolments, linking and role changes of *their* sign-in, with who did
it, when and from where — so a reset or a sign-in they did not make is seen by them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.views.account import BaseSettingsPanel

from accounts.models import AccountEvent

#: The latest events shown (everything is in Sở Nội vụ's listing).
SHOWN = 30


class _NothingToSave(forms.Form):
    """The panel only shows: a bound form that is always valid and saves nothing."""

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)

    def save(self):
        return None


class OwnEventsPanel(BaseSettingsPanel):
    name = "account_events"
    title = _("Nhật ký tài khoản của bạn")
    order = 900
    form_class = _NothingToSave
    template_name = "accounts/own_events_panel.html"

    def get_context_data(self):
        context = super().get_context_data()
        context["events"] = list(
            AccountEvent.objects.filter(user=self.user).select_related("actor", "user")[:SHOWN]
        )
        return context
