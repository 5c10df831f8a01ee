"""Who may use the desk: argon2 password hashes and a lock after repeated failures.

The failure count is kept per name typed, whether or not that user exists, so a locked
answer says nothing about which names are accounts; and per client address, with a higher
limit, so trying a few passwords against many names locks the client too. A check against an unknown name still
spends one argon2 verification, so its timing does not tell either.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .store import Store, User

ROLES = ("reviewer", "admin")
MIN_PASSWORD = 12
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password of anyone's")


@dataclass(frozen=True)
class LoginPolicy:
    failures: int = 5  # wrong passwords before the name is locked
    window: float = 15 * 60  # seconds within which failures add up
    lock_for: float = 15 * 60  # seconds a locked name stays locked
    client_failures: int = 20  # wrong passwords from one client address (any names) before it is locked


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    locked: bool = False


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"a password has at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def add_user(store: Store, name: str, password: str, role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"a role is one of {', '.join(ROLES)}")
    if not name or len(name) > 64 or not name.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise ValueError("a user name is 1-64 letters, digits, '.', '-' or '_'")
    store.add_user(name, hash_password(password), role)


def login(store: Store, name: str, password: str, policy: LoginPolicy, now: float | None = None,
          client: str | None = None) -> LoginResult:
    now = time.time() if now is None else now
    client_key = f"client:{client}" if client else None  # ':' is not allowed in a user name
    if store.locked_until(name) > now or (client_key and store.locked_until(client_key) > now):
        return LoginResult(None, locked=True)
    user = store.user(name)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        ok = user is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None:
        count = store.record_failure(name, now, policy.failures, policy.window, policy.lock_for)
        client_count = (store.record_failure(client_key, now, policy.client_failures, policy.window, policy.lock_for)
                        if client_key else 0)
        return LoginResult(None, locked=count >= policy.failures or client_count >= policy.client_failures)
    store.clear_failures(name)
    if _hasher.check_needs_rehash(user.password_hash):
        store.set_password_hash(name, _hasher.hash(password))
    return LoginResult(user)
