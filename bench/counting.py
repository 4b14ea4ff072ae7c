"""Counts the password hasher work done while a block runs."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import get_hashers


@dataclass
class PasswordWork:
    verifications: int = 0  # a hasher's verify(): checking a password against a hash
    hashes: int = 0  # a hasher's encode() outside verify(): computing a new hash


@contextmanager
def counting_password_work() -> Iterator[PasswordWork]:
    """Count verify() and encode() calls of every configured hasher.

    The hasher instances are wrapped rather than django.contrib.auth.hashers'
    functions, because callers import check_password and make_password by name and
    would keep calling the unwrapped ones. Some hashers (PBKDF2) verify by encoding
    again; that encode is part of the verification, not a hash of its own.
    """
    work = PasswordWork()
    inside = threading.local()

    def depth() -> int:
        return getattr(inside, "depth", 0)

    def within_verification(method: Callable[..., Any], counted: bool) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if counted:
                work.verifications += 1
            inside.depth = depth() + 1
            try:
                return method(*args, **kwargs)
            finally:
                inside.depth = depth() - 1

        return wrapper

    def counting_encode(method: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not depth():
                work.hashes += 1
            return method(*args, **kwargs)

        return wrapper

    hashers = get_hashers()
    for hasher in hashers:
        hasher.verify = within_verification(hasher.verify, counted=True)  # type: ignore[method-assign]
        # PBKDF2 pads a wrong guess's runtime with extra rounds: still that verification.
        hasher.harden_runtime = within_verification(hasher.harden_runtime, counted=False)  # type: ignore[method-assign]
        hasher.encode = counting_encode(hasher.encode)  # type: ignore[method-assign]
    try:
        yield work
    finally:
        for hasher in hashers:
            for name in ("verify", "harden_runtime", "encode"):
                delattr(hasher, name)  # the class's method shows through again
