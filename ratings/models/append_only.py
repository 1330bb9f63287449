"""Rows that are never deleted (and, for logs, never changed once written).

Model methods and queryset bulk operations both refuse; the admin offers no delete either.
Raw SQL can still do anything, as with every Django guard.
"""

from django.db import models
from django.utils.translation import gettext


class DeletionRefused(Exception):
    """Raised on any attempt to delete a row that must be kept."""


class UpdateRefused(Exception):
    """Raised on any attempt to change an append-only row."""


class KeepRowsQuerySet(models.QuerySet):
    def delete(self):
        raise DeletionRefused(gettext("Không được xóa hồ sơ, nhật ký xếp loại."))


class AppendOnlyQuerySet(KeepRowsQuerySet):
    def update(self, **kwargs):
        raise UpdateRefused(gettext("Nhật ký chỉ được ghi thêm, không được sửa."))

    def bulk_update(self, objs, fields, batch_size=None):
        raise UpdateRefused(gettext("Nhật ký chỉ được ghi thêm, không được sửa."))


class NeverDeletedMixin(models.Model):
    """The row may change but is never deleted (cancellation is a state, not a deletion)."""

    objects = KeepRowsQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise DeletionRefused(gettext("Không được xóa hồ sơ, nhật ký xếp loại."))


class AppendOnlyMixin(NeverDeletedMixin):
    """The row is written once and never changed or deleted."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise UpdateRefused(gettext("Nhật ký chỉ được ghi thêm, không được sửa."))
        super().save(*args, **kwargs)
