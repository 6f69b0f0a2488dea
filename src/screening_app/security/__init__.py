"""Security: named users and roles, encryption at rest, lock-out, the audit trail, retention.

Qt-free. The pieces, from the bottom up:

* :mod:`.crypto` — Argon2id, AES-256-GCM key wrapping, HKDF, X25519 sealing, Ed25519
  signatures, recovery keys;
* :mod:`.passwords` — the password rules (length 12, zxcvbn) and Argon2id hashes;
* :mod:`.lockout` — the lock-out rule, once for both backends; :mod:`.policy` — the
  security settings and the rule for development databases;
* :mod:`.keyfile` — the key file beside an encrypted SQLite database (wraps, sealed data
  keys, lock-out counts);
* :mod:`.roles` — roles, permissions and the signed-in :class:`~.roles.Principal`;
* :mod:`.audit` / :mod:`.trail` / :mod:`.anchor` — the hash-chained, sealed and signed audit
  trail, and its anchor in the system log;
* :mod:`.access` — set-up (``init``), sign-in, recovery: a facade over the backends
  (:mod:`.backend`, :mod:`.encrypted` for SQLite, :mod:`.server` for PostgreSQL); the
  application layer (``screening_app.app.opening``) is what both doors call;
* :mod:`.users`, :mod:`.records`, :mod:`.retention` — user management, the trail as people
  read it, retention review and erasure; :mod:`.display` — stored text made safe to print.

See docs/security.md for the threat model and the rules.
"""
