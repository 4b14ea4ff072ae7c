from __future__ import annotations


def printable(value: str, limit: int) -> str:
    """Control characters (CR, LF, ...) escaped and length bounded, for logs and audit rows."""
    cleaned = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in value)
    return cleaned[:limit]


def mask_identifier(value: str) -> str:
    """An unknown username might be a password typed into the wrong box: keep only enough
    to correlate attempts (two characters and a digest), never the value itself."""
    import hashlib

    digest = hashlib.sha256(value.encode()).hexdigest()[:10]
    return f"{printable(value[:2], 8)}…#{digest}"
