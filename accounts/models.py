"""The user model, custom from day one so that it can grow without a painful migration."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from org.text import normalize_text


class User(AbstractUser):
    """A person or service account that signs in.

    A user's reach (which agencies' data they may see) is not stored here: it comes from group
    membership and ``org.AgencyAccess`` rows, evaluated in one place, ``org.access``.
    """

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = pgettext_lazy("plural", "người dùng")

    def save(self, *args, **kwargs):
        self.full_name = normalize_text(self.full_name)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name or super().get_full_name()

    def __str__(self):
        return self.full_name or self.username
