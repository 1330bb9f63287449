"""The one exception of the reading layer: the file cannot be read at all (CLI exit code 2)."""


class UnreadableFile(Exception):
    """``message`` is Vietnamese and says what to do; ``code`` is a stable machine name."""

    def __init__(self, message: str, code: str, sheet: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.sheet = sheet
