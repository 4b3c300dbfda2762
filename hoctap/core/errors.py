"""Errors that services raise; views turn them into messages, commands into exit codes."""

from __future__ import annotations


class ServiceError(Exception):
    """A business rule refused the operation; the message is for the user (Vietnamese)."""


class TransitionError(ServiceError):
    """The object is no longer in the state the operation expects (someone else acted first)."""


class NotInScope(ServiceError):
    """The object does not exist for this actor (missing or outside their scope): views answer 404."""


class PermissionDeniedError(ServiceError):
    """The actor sees the object but may not do this to it: views answer 403."""
