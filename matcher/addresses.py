"""Email addresses we store and mail: exactly one address each, checked with `email-validator` (no DNS lookup).

A list (``x,evil@attacker.example``), a header (``Bcc:evil@attacker.example``), a display name or a line break is
refused, so a stored address can never add a recipient.
"""

from __future__ import annotations

from matcher.errors import NotifyError


def address_problem(text: str) -> str | None:
    """Why ``text`` is not exactly one email address, or None when it is."""
    from email_validator import EmailNotValidError, validate_email  # 20 ms to import: only when an address is set

    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None


def check_address(text: str, what: str = "email address") -> str:
    """``text`` if it is exactly one email address; else NotifyError naming the value and the problem."""
    problem = address_problem(text)
    if problem is not None:
        raise NotifyError(f"{what} {text!r} is not one email address: {problem}")
    return text
