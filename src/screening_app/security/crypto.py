"""The cryptographic building blocks, in one small module so that they can be reviewed at once.

* The **data key** (DEK) is 32 random bytes from the operating system. SQLCipher uses it as a
  raw 256-bit key (``PRAGMA key = "x'<64 hex>'"``): no passphrase, no PBKDF2 of its own.
* A **key-encryption key** (KEK) comes from a user's password through Argon2id (raw output,
  64 MiB, three passes, four lanes, a random 128-bit salt per wrap). Parameters below
  :data:`FLOOR` are refused when read back, so a key file cannot be downgraded.
* **Wrapping** is AES-256-GCM with a random 96-bit nonce and associated data that binds the
  wrapped key to its database and its slot (user name or recovery), so an entry cannot be
  moved to another slot or another database's key file.
* The **recovery key** is another 32 random bytes, shown once at set-up as groups of Base32
  letters with a two-byte checksum (a typing mistake is told apart from a wrong key); its
  wrapping key comes from HKDF-SHA256 (the recovery key already has full entropy).
* The **audit key** (HMAC-SHA256 over the audit chain) is derived from the data key with
  HKDF-SHA256 under its own label, so it is never stored anywhere and never in the database.

Secrets are kept in ``bytearray`` where we control them and overwritten with :func:`wipe`
when dropped; Python cannot promise more than that (the OS and the libraries may copy them).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
AUDIT_KEY_LABEL = b"heard audit chain hmac v1"
RECOVERY_LABEL = b"heard recovery key wrap v1"


class WrongKey(Exception):
    """A wrapped key did not open: wrong password, wrong recovery key, or an altered entry."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters, stored beside every wrap so that they can be raised later."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4

    def check(self) -> None:
        if self.time_cost < FLOOR.time_cost or self.memory_kib < FLOOR.memory_kib \
                or self.parallelism < 1:
            raise WrongKey("the key file asks for weaker Argon2id settings than this app "
                           "allows")

    def to_dict(self) -> dict:
        return {"algorithm": "argon2id", "time_cost": self.time_cost,
                "memory_kib": self.memory_kib, "parallelism": self.parallelism}

    @classmethod
    def from_dict(cls, data: dict) -> KdfParams:
        if data.get("algorithm") != "argon2id":
            raise WrongKey("the key file names an unknown key-derivation algorithm")
        params = cls(time_cost=int(data["time_cost"]), memory_kib=int(data["memory_kib"]),
                     parallelism=int(data["parallelism"]))
        params.check()
        return params


# The least this app accepts (OWASP's Argon2id minimum is 19 MiB, t=2; we keep RFC 9106's
# "low memory" profile as the floor as well as the default).
FLOOR = KdfParams()
DEFAULT_KDF = KdfParams()

# Tests that are not about key derivation set a cheap cost here (tests/conftest.py); the app
# never does. Key files still record and check the real parameters above.
test_cost: KdfParams | None = None


def random_bytes(n: int) -> bytes:
    return os.urandom(n)


def new_data_key() -> bytearray:
    return bytearray(os.urandom(KEY_BYTES))


def wipe(secret: bytearray | None) -> None:
    """Overwrite a secret we own (best effort: Python may have copied it elsewhere)."""
    if secret is not None:
        for i in range(len(secret)):
            secret[i] = 0


def derive_kek(password: str, salt: bytes, params: KdfParams = DEFAULT_KDF) -> bytearray:
    """Argon2id raw output: the key that wraps the data key for one user."""
    params.check()
    if len(salt) < SALT_BYTES:
        raise WrongKey("the key file holds a salt that is too short")
    cost = test_cost or params
    return bytearray(hash_secret_raw(
        secret=password.encode("utf-8"), salt=salt, time_cost=cost.time_cost,
        memory_cost=cost.memory_kib, parallelism=cost.parallelism, hash_len=KEY_BYTES,
        type=Type.ID))


def wrap(kek: bytes | bytearray, data_key: bytes | bytearray, aad: bytes) -> tuple[bytes, bytes]:
    """AES-256-GCM: returns (nonce, ciphertext with tag). A fresh random nonce every time."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(bytes(kek)).encrypt(nonce, bytes(data_key), aad)


def unwrap(kek: bytes | bytearray, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytearray:
    try:
        key = AESGCM(bytes(kek)).decrypt(nonce, ciphertext, aad)
    except (InvalidTag, ValueError):
        raise WrongKey("the key did not open") from None
    if len(key) != KEY_BYTES:
        raise WrongKey("the wrapped key has the wrong length")
    return bytearray(key)


def hkdf(secret: bytes | bytearray, label: bytes, length: int = KEY_BYTES) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=label).derive(
        bytes(secret))


def audit_key_from_data_key(data_key: bytes | bytearray) -> bytes:
    return hkdf(data_key, AUDIT_KEY_LABEL)


def recovery_wrapping_key(recovery_key: bytes | bytearray) -> bytes:
    return hkdf(recovery_key, RECOVERY_LABEL)


def sqlcipher_key(data_key: bytes | bytearray) -> str:
    """The raw-key form SQLCipher takes: ``x'<64 hex digits>'`` (no PBKDF2 on top)."""
    if len(data_key) != KEY_BYTES:
        raise ValueError("a data key is 32 bytes")
    return f"x'{bytes(data_key).hex()}'"


# -- recovery key text ---------------------------------------------------------------------------
def _checksum(key: bytes) -> bytes:
    return hashlib.sha256(b"heard recovery checksum" + key).digest()[:2]


def recovery_key_text(key: bytes | bytearray) -> str:
    """32 bytes + 2 checksum bytes as Base32 in groups of five (55 letters and digits)."""
    raw = bytes(key) + _checksum(bytes(key))
    letters = base64.b32encode(raw).decode("ascii").rstrip("=")
    return "-".join(letters[i:i + 5] for i in range(0, len(letters), 5))


class BadRecoveryKey(WrongKey):
    """The recovery key was mistyped (its checksum does not match)."""


def parse_recovery_key(text: str) -> bytearray:
    letters = "".join(ch for ch in text.upper() if ch.isalnum())
    # Common misreadings on paper: O for 0 and I/L for 1 are not in Base32's alphabet.
    letters = letters.replace("0", "O").replace("1", "I").replace("8", "B")
    padded = letters + "=" * (-len(letters) % 8)
    try:
        raw = base64.b32decode(padded)
    except (ValueError, binascii.Error):
        raise BadRecoveryKey("that is not a recovery key; check each group was typed "
                             "exactly") from None
    if len(raw) != KEY_BYTES + 2 or _checksum(raw[:KEY_BYTES]) != raw[KEY_BYTES:]:
        raise BadRecoveryKey("the recovery key was not typed correctly; check each group")
    return bytearray(raw[:KEY_BYTES])


# -- audit signatures ----------------------------------------------------------------------------
# Each user has an Ed25519 signing key, wrapped with their own password beside the data key,
# and signs every audit entry they cause. The public keys are published in the trail itself
# (by an administrator's signed entry), so no one who lacks a user's password can write or
# re-seal entries in that user's name, even holding the data key.
SIGNING_RECOVERY_LABEL = b"heard audit signing key from recovery v1"


USER_SIGNING_LABEL = b"heard audit signing key v1"


def new_user_secret() -> bytearray:
    """A user's own 32 random bytes, wrapped with their password; keys derive from it."""
    return bytearray(os.urandom(KEY_BYTES))


def user_signing_key(user_secret: bytes | bytearray) -> bytearray:
    return bytearray(hkdf(user_secret, USER_SIGNING_LABEL))


def signing_public_key(seed: bytes | bytearray) -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    public = Ed25519PrivateKey.from_private_bytes(bytes(seed)).public_key()
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def sign(seed: bytes | bytearray, message: bytes) -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(bytes(seed)).sign(message).hex()


def signature_valid(public_hex: str, message: bytes, signature_hex: str) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex)).verify(
            bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def recovery_signing_key(recovery_key: bytes | bytearray) -> bytearray:
    """The signing key of the recovery key's holder (entries written with it)."""
    return bytearray(hkdf(recovery_key, SIGNING_RECOVERY_LABEL))


# -- data keys sealed to each user's own public key -----------------------------------------------
# So that the data key can be replaced (after a user is disabled or a password is reset)
# without knowing anyone's password: each user (and the recovery key) has an X25519 key pair
# derived from their own secret, and the data key is sealed to its public half (ephemeral
# X25519, HKDF-SHA256, AES-256-GCM).
BOX_LABEL = b"heard data key box v1"
RECOVERY_BOX_LABEL = b"heard recovery box v1"
SEAL_LABEL = b"heard sealed data key v1"


def box_private_key(secret: bytes | bytearray, label: bytes = BOX_LABEL) -> bytearray:
    return bytearray(hkdf(secret, label))


def box_public_key(private: bytes | bytearray) -> str:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    public = X25519PrivateKey.from_private_bytes(bytes(private)).public_key()
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def seal_to(public_hex: str, secret: bytes | bytearray, aad: bytes) -> tuple[bytes, bytes, bytes]:
    """(ephemeral public key, nonce, ciphertext) that only ``public_hex``'s owner opens."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    recipient = bytes.fromhex(public_hex)
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
    ephemeral_public = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key = hkdf(shared + ephemeral_public + recipient, SEAL_LABEL)
    nonce, ciphertext = wrap(key, secret, aad)
    return ephemeral_public, nonce, ciphertext


def open_sealed(private: bytes | bytearray, ephemeral_public: bytes, nonce: bytes,
                ciphertext: bytes, aad: bytes) -> bytearray:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

    own = X25519PrivateKey.from_private_bytes(bytes(private))
    try:
        shared = own.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    except ValueError:
        raise WrongKey("the sealed key is damaged") from None
    recipient = bytes.fromhex(box_public_key(private))
    return unwrap(hkdf(shared + ephemeral_public + recipient, SEAL_LABEL), nonce, ciphertext,
                  aad)
