"""Security: named users and roles, encryption at rest, lock-out, the audit trail, retention.

Qt-free. The pieces, from the bottom up:

* :mod:`.crypto` — Argon2id, AES-256-GCM key wrapping, HKDF, recovery keys;
* :mod:`.passwords` — the password rules (length 12, deny-list) and Argon2id hashes;
* :mod:`.keyfile` — the key file beside an encrypted SQLite database (wrapped keys,
  lock-out counts);
* :mod:`.roles` — roles, permissions and the signed-in :class:`~.roles.Principal`;
* :mod:`.audit` / :mod:`.trail` — the hash-chained, HMAC-sealed audit trail;
* :mod:`.access` — set-up (``init``), sign-in, recovery (the application layer,
  ``screening_app.app.opening``, is what both doors call to open a database);
* :mod:`.users`, :mod:`.records`, :mod:`.retention` — user management, the trail as people
  read it, retention review and erasure.

See docs/security.md for the threat model and the rules.
"""
