"""TermpoolError: a 4xx/5xx answer from termpool, or a request that got no answer at all."""
from __future__ import annotations

import json
from typing import Any, Optional


class TermpoolError(Exception):
    """A 4xx/5xx answer: the HTTP ``status`` and the stable ``code`` and ``message`` of the server's
    JSON error body (``{"error", "message", "details"?}``), e.g. ``404 SESSION_NOT_FOUND``.

    ``code`` is ``HTTP_<status>`` when the body was not termpool's JSON (a proxy's page, say).
    """

    def __init__(self, status: int, code: str, message: str, details: Any = None, request: str = "") -> None:
        super().__init__(message)
        #: HTTP status, e.g. 404 (0 for :class:`TermpoolConnectionError`).
        self.status = status
        #: The body's ``error`` code, e.g. ``SESSION_NOT_FOUND``.
        self.code = code
        self.message = message
        #: Validation issues and the like, when the server sent them.
        self.details = details
        #: The request that failed, e.g. ``"POST /v1/sessions"``.
        self.request = request

    def __str__(self) -> str:
        where = f" ({self.request})" if self.request else ""
        return f"{self.status} {self.code}: {self.message}{where}"

    def __repr__(self) -> str:
        return f"TermpoolError(status={self.status!r}, code={self.code!r}, message={self.message!r})"

    @classmethod
    def from_body(cls, status: int, request: str, body: bytes) -> "TermpoolError":
        """Builds the error from a response body (termpool's JSON error body or anything else)."""
        text = body.decode("utf-8", "replace")
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict) and isinstance(parsed.get("error"), str):
            message = parsed.get("message")
            return cls(status, parsed["error"], message if isinstance(message, str) else parsed["error"],
                       parsed.get("details"), request)
        snippet = text.strip()[:200]
        return cls(status, f"HTTP_{status}", f"{request} answered {status}" + (f": {snippet}" if snippet else ""),
                   None, request)


class TermpoolConnectionError(TermpoolError):
    """No answer: the server could not be reached (``code`` ``CONNECTION_FAILED``) or did not answer
    within the client's timeout (``code`` ``CLIENT_TIMEOUT``). ``status`` is 0."""

    def __init__(self, code: str, message: str, request: str = "", cause: Optional[BaseException] = None) -> None:
        super().__init__(0, code, message, None, request)
        self.__cause__ = cause
