"""The one exception hierarchy of eventledger.

::

                                                          HTTP  exit
    EventLedgerError                                       500    1
     ├── ConfigError          bad settings, outlets file,  400    2
     │    │                   command-line values, a place or code a filter names
     │    ├── FilterError     a filter value that names nothing (with "did you mean …?")  422  2
     │    └── PeriodError     a period expression           400    2
     ├── CodebookError        a codebook file that does not validate (names file and key)
     │                                                     500    2
     ├── InputError           an input file or URL that cannot be read at all
     │    │                                                500    1
     │    ├── RecordParseError  one record of an input (names file and line); the run goes on
     │    ├── FieldError        one field of a record (readers make it that record's error)
     │    ├── DamagedInput      an input that stops being readable part-way (a corrupt .gz)
     │    └── BudgetExceeded    one document took longer than its time budget to parse or code
     ├── FetchError           a URL that could not be fetched (after retries)   500  1
     │    ├── BlockedError      refused by policy (private address, scheme, robots.txt)
     │    └── BadURLError       not fetchable as written (control characters, bad host or port)
     ├── StoreError           the database cannot be opened, migrated or written  500  1
     ├── NotFoundError        an id that is not in the store                      404  3
     ├── ReviewError          a review that cannot apply (unknown subtype or place, revert conflict)
     │                                                     422    5
     └── AuthError            wrong user name or password, unknown token, too many attempts
          │                                                401    4
          ├── NotSignedIn       no credentials where some are needed (pages redirect to the login form)
          └── PermissionDenied  a signed-in user whose role does not allow the action   403  4
               └── CsrfError      a state-changing request without the form's CSRF token

Exit status 6 (no exception): a command that did its work but rejected some records (run status
``partial``; ``eventledger runs errors ID`` lists them).

Each class carries its answer: ``http_status`` (the web app answers with it; 500 answers carry only
an error id, the details go to the log) and ``exit_code`` (the CLI prints a one-line message and exits
with it; click's own usage errors exit with 2 too). Per-record errors are counted in the run and never
stop it.
"""

from __future__ import annotations

from typing import ClassVar

# a command that did its work but rejected some records (run status "partial"): no exception
EXIT_PARTIAL = 6


class EventLedgerError(Exception):
    """Base class of all errors raised on purpose by eventledger."""

    http_status: ClassVar[int] = 500
    exit_code: ClassVar[int] = 1


class ConfigError(EventLedgerError):
    """Invalid configuration: settings, outlets file, command-line values."""

    http_status = 400
    exit_code = 2


class FilterError(ConfigError):
    """A filter value that names nothing that exists (a misspelled category, an unknown province,
    outlet or actor): the message names the nearest valid values. Never a silent zero."""

    http_status = 422


class PeriodError(ConfigError):
    """A period expression that cannot be parsed or does not exist in its calendar."""


class CodebookError(EventLedgerError):
    """A codebook that is missing or does not validate."""

    exit_code = 2


class InputError(EventLedgerError):
    """An input that cannot be read at all (missing file, unknown format)."""


class RecordParseError(InputError):
    """One record of an input is malformed; carries its origin ("file:line")."""

    def __init__(self, origin: str, message: str) -> None:
        super().__init__(f"{origin}: {message}")
        self.origin = origin
        self.message = message


class FieldError(InputError, ValueError):
    """One field of a record is invalid (a time out of range, a string that is not one); readers turn
    it into that record's :class:`~eventledger.records.RecordError` (also a ValueError, so that
    callers catching ValueError for a bad value go on working)."""


class DamagedInput(InputError):
    """An input that stops being readable part-way (a truncated or corrupt ``.gz``, a decompression bomb).

    Readers turn it into a record error at the line reached, after the records read before it.
    """

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.reason = reason


class BudgetExceeded(InputError):
    """A document that takes longer than its time budget to parse or code: an error of that
    record (hostile or broken input), never a stalled run."""


class FetchError(EventLedgerError):
    """A URL that could not be fetched (after retries), with the reason."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status


class BlockedError(FetchError):
    """A URL refused by policy: a private address, a disallowed scheme, robots.txt."""


class BadURLError(FetchError):
    """A URL that cannot be fetched as written (control characters, port out of range, bad host)."""


class StoreError(EventLedgerError):
    """The store cannot be opened, migrated or written."""


class NotFoundError(EventLedgerError):
    """A requested record does not exist."""

    http_status = 404
    exit_code = 3


class ReviewError(EventLedgerError):
    """A change (a review, an admin change) that cannot be made as asked; nothing is changed."""

    http_status = 422
    exit_code = 5


class AuthError(EventLedgerError):
    """Authentication failed: unknown user, wrong password or token, too many attempts."""

    http_status = 401
    exit_code = 4


class NotSignedIn(AuthError):
    """No credentials where some are needed (pages redirect to the login form, the API answers 401)."""


class PermissionDenied(AuthError):
    """The user is known but their role does not allow this action."""

    http_status = 403


class CsrfError(PermissionDenied):
    """A state-changing request without the form's CSRF token."""
