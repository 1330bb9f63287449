"""Sở Nội vụ's listing of the e-mails the system sends (``cms.mail``'s outbox) and each mail's
page with its attempts (issue 46): like a national batch's deliveries, every attempt to hand
the mail to the relay is shown with when it started and ended, how it ended and the relay's
error. Read-only. The body is not shown: an invitation carries an activation code."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet

from cms.admin_policies import ReadOnlyViewSetMixin
from cms.listing import ShownInspectView
from cms.listing_exports import SafeIndexView
from cms.models import OutgoingMail


def _recipients(mail: OutgoingMail) -> str:
    return ", ".join(mail.recipients)


class MailInspectView(ShownInspectView):
    template_name = "dashboards/admin/mail_inspect.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            tries=self.object.tries.order_by("started_at", "id"), **kwargs
        )


class MailViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    """Every outgoing e-mail: waiting, sent or given up, and its attempts."""

    model = OutgoingMail
    index_view_class = SafeIndexView
    inspect_view_class = MailInspectView
    add_to_reference_index = False
    add_to_admin_menu = True
    menu_order = 253
    icon = "mail"
    menu_label = _("Thư chờ gửi lại")
    name = "outgoing_mail"
    list_display = [
        TitleColumn(
            "subject",
            label=_("tiêu đề"),
            url_name="outgoing_mail:inspect",
        ),
        Column("recipients", label=_("người nhận"), accessor=_recipients),
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status"]
    form_fields = ["status"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "subject",
        "recipients",
        "from_email",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]


mail_viewset = MailViewSet()
