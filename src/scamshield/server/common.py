"""What the server's routes share: the error answers every /v1 route may give (for the OpenAPI schema)
and a request body turned into a ``Message`` within the server's limits."""

from __future__ import annotations

from ..errors import InputError
from ..inputs import message_from_dict
from ..models import Message
from .schemas import ErrorOut, MessageIn

ERRORS = {code: {"model": ErrorOut} for code in (400, 401, 403, 404, 413, 422, 429)}


def to_message(body: MessageIn, settings) -> Message:
    """The message or transcript of a request, refused (InputError, a 422) past ``max_turns`` turns or
    ``max_text_chars`` characters in all."""
    data = body.model_dump(exclude_none=True)
    if data.get("turns") and len(data["turns"]) > settings.max_turns:
        raise InputError(f"a call may have at most {settings.max_turns} turns")
    total = len(data.get("text", "")) + sum(len(t["text"]) for t in data.get("turns", []))
    if total > settings.max_text_chars:
        raise InputError(f"the message is {total:,} characters; the limit is {settings.max_text_chars:,}")
    return message_from_dict(data)
