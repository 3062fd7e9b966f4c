"""Errors a user can cause and fix. Everything else is a bug."""


class ScamshieldError(Exception):
    """Base class for errors scamshield reports to the user."""


class InputError(ScamshieldError, ValueError):
    """Bad input: the message says what is wrong and where."""


class RulesError(ScamshieldError):
    """A rules or score file is malformed: the message names the file and the entry."""
