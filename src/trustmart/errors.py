"""The one exception the command line turns into a plain message."""

from __future__ import annotations


class TrustmartError(Exception):
    """A failure the user can act on: `what` failed, `fix` says what to do."""

    def __init__(self, what: str, fix: str) -> None:
        super().__init__(f"{what}\n{fix}")
        self.what = what
        self.fix = fix


class ReportError(TrustmartError):
    """The report site could not be built or published: `what` failed, `fix`
    says what to do."""
