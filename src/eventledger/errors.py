"""The one exception hierarchy of eventledger.

::

    EventLedgerError
     ├── ConfigError          bad settings, outlets file, period expression
     │    └── PeriodError
     ├── CodebookError        a codebook file that does not validate (names file and key)
     ├── InputError           an input file or URL that cannot be read at all
     │    ├── RecordParseError  one record of an input (names file and line); the run goes on
     │    └── BudgetExceeded    one document took longer than its time budget to parse or code
     ├── StoreError           the database cannot be opened, migrated or written
     ├── NotFoundError        an id that is not in the store
     ├── ReviewError          a review that cannot apply (unknown subtype or place, revert conflict)
     └── AuthError            wrong user name or password, unknown token, too many attempts
          └── PermissionDenied  a signed-in user whose role does not allow the action

The CLI translates these into a one-line message and exit status 1 (2 for usage errors);
per-record errors are counted in the run and never stop it.
"""

from __future__ import annotations


class EventLedgerError(Exception):
    """Base class of all errors raised on purpose by eventledger."""


class ConfigError(EventLedgerError):
    """Invalid configuration: settings, outlets file, command-line values."""


class PeriodError(ConfigError):
    """A period expression that cannot be parsed or does not exist in its calendar."""


class CodebookError(EventLedgerError):
    """A codebook that is missing or does not validate."""


class InputError(EventLedgerError):
    """An input that cannot be read at all (missing file, unknown format)."""


class RecordParseError(InputError):
    """One record of an input is malformed; carries its origin ("file:line")."""

    def __init__(self, origin: str, message: str) -> None:
        super().__init__(f"{origin}: {message}")
        self.origin = origin
        self.message = message


class BudgetExceeded(InputError):
    """A document that takes longer than its time budget to parse or code: an error of that
    record (hostile or broken input), never a stalled run."""


class StoreError(EventLedgerError):
    """The store cannot be opened, migrated or written."""


class NotFoundError(EventLedgerError):
    """A requested record does not exist."""


class ReviewError(EventLedgerError):
    """A coder's change that cannot be applied as asked; nothing is changed."""


class AuthError(EventLedgerError):
    """Authentication failed: unknown user, wrong password or token, too many attempts."""


class PermissionDenied(AuthError):
    """The user is known but their role does not allow this action."""
