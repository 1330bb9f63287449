"""The English admin reads and writes dates and numbers the Vietnamese way too (the data is
Vietnamese: an official using English must not save 4,5 as 45 or swap day and month)."""

from cms.formats.vi.formats import *  # noqa: F403
