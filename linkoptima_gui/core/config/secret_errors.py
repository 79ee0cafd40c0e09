"""Why a secret cannot be read or kept: every ``str()`` is Polish and says what to do.

Kept apart from ``secrets.py`` and ``secrets_file.py`` so both raise the same errors without
importing each other.
"""

from __future__ import annotations


class SecretError(Exception):
    """A secret cannot be read or stored; ``str()`` is Polish and says what to do."""


class NoSecretsHome(SecretError):
    """This computer has no system keyring and no encrypted secrets file (yet)."""


class SecretsLocked(SecretError):
    """The encrypted secrets file is there, but its password was not given in this run."""


class WrongSecretsPassword(SecretError):
    """The password given does not open the encrypted secrets file."""
