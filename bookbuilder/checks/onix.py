"""The ONIX record's validator: EDItEUR's ONIX 3.0 XSD, offline, as onixcheck ships it."""

from __future__ import annotations

from . import Subject


def check_onix(subject: Subject) -> str:
    import onixcheck

    messages = onixcheck.validate(str(subject.path))
    for message in messages:
        subject.notices.add("error", f"{subject.path}:{message.line}" if getattr(message, "line", None)
                            else str(subject.path),
                            f"the ONIX record does not validate against EDItEUR's ONIX 3.0 schema: {message.message}",
                            "check the [trade] values in book.toml; if they are right, this is make-book's bug: "
                            "report it", "onix-schema")
    return f"ONIX 3.0 schema: {len(messages)} messages"
