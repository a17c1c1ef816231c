"""spec.connection + the Secrets it names -> a libpq connection string, or a clear refusal.

Whoever may create a DatabaseMigration must not gain more than the Secrets' owners and the
operator's administrator granted (docs/security.md).  Each step guards the next:

1. a Secret is used only if its owner opted in (``allow`` label/annotation, or ``allow-for``
   naming this DatabaseMigration); nothing of it is decoded before that check;
2. the value is parsed by our own parser, whose messages never quote it;
3. ``require_auth`` makes libpq refuse to send a cleartext or MD5-hashed password;
4. every host must be in ``DB_MIGRATE_ALLOWED_HOSTS`` (when set): names are resolved, every
   address is checked, and the checked addresses are pinned (``hostaddr``) so that libpq
   cannot resolve the name to another address afterwards.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import socket
from collections.abc import Sequence

import psycopg

from db_migrate.engine import conninfo
from db_migrate.engine.conninfo import InvalidConnectionString
from db_migrate.engine.errors import InvalidInput, Unavailable
from db_migrate.reconciler.kube import Kube, SecretNotFound, SecretObject
from db_migrate.reconciler.settings import Settings
from db_migrate.reconciler.spec import GROUP, Connection, SecretKeyRef

#: Label or annotation, value "true": every DatabaseMigration in the namespace may use the Secret.
ALLOW = f"{GROUP}/allow"
#: Annotation, comma-separated DatabaseMigration names: only those may use the Secret.
ALLOW_FOR = f"{GROUP}/allow-for"
#: SCRAM, or no authentication at all: never a cleartext password (``password``), never an
#: MD5 response that a server choosing its own salt can crack offline or relay (``md5``).
#: A positive list, so that a method added to libpq later is refused until reviewed.
REQUIRE_AUTH = "scram-sha-256,none"
_REFUSED_METHODS = ("password", "md5")
#: libpq 16 introduced require_auth; older versions would silently ignore nothing - they fail
#: on the unknown keyword, which would read as a database outage.  Refuse clearly instead.
_LIBPQ_REQUIRE_AUTH = 160000


class SecretNotAllowed(InvalidInput):
    reason = "SecretNotAllowed"


class HostNotAllowed(InvalidInput):
    reason = "HostNotAllowed"


class InsecureAuthUnavailable(InvalidInput):
    reason = "InsecureAuthUnavailable"


def allowed(secret: SecretObject, resource: str) -> bool:
    if secret.labels.get(ALLOW) == "true" or secret.annotations.get(ALLOW) == "true":
        return True
    return resource in {n.strip() for n in secret.annotations.get(ALLOW_FOR, "").split(",")}


def secret_text(kube: Kube, namespace: str, resource: str, ref: SecretKeyRef) -> str:
    """The value of ``ref`` as text, after the allow check; errors never contain any of it."""
    secret = kube.secret(namespace, ref.name)
    if not allowed(secret, resource):
        raise SecretNotAllowed(
            f"Secret {namespace}/{ref.name} is not allowed for DatabaseMigration {resource}: "
            f"its owner must label it {ALLOW}=true (any DatabaseMigration in {namespace}) or "
            f"annotate it {ALLOW_FOR}={resource} (a comma-separated list of names), e.g. "
            f"kubectl -n {namespace} annotate secret {ref.name} {ALLOW_FOR}={resource}")
    origin = f"Secret {namespace}/{ref.name} key {ref.key}"
    if ref.key not in secret.encoded:
        raise SecretNotFound(f"Secret {namespace}/{ref.name} has no key {ref.key!r}")
    try:
        raw = base64.b64decode(secret.encoded[ref.key], validate=True)
        # Only the one newline that `echo` or an editor appends: a password may begin or end
        # with spaces, and stripping them would make such a password unusable.
        text = raw.decode("utf-8")
        return text.removesuffix("\r\n") if text.endswith("\r\n") else text.removesuffix("\n")
    except UnicodeDecodeError as exc:
        raise InvalidConnectionString(
            f"{origin}: is not UTF-8 text at position {exc.start + 1} "
            "(the value is not shown)") from None
    except binascii.Error:
        raise InvalidConnectionString(f"{origin}: is not valid base64 data "
                                      "(the value is not shown)") from None


def connection_params(kube: Kube, namespace: str, resource: str, conn: Connection) -> dict[str, str]:
    if conn.url_secret is not None:
        ref = conn.url_secret
        # A URL or key=value string has no meaningful space at either end (a space inside a
        # URL must be percent-encoded), so the whole value is stripped, unlike a password.
        text = secret_text(kube, namespace, resource, ref).strip()
        return conninfo.parse(text, f"Secret {namespace}/{ref.name} key {ref.key}")
    params = {"host": str(conn.host), "port": str(conn.port), "dbname": str(conn.dbname),
              "user": str(conn.user), "sslmode": conn.sslmode}
    # The spec's own values are checked like a URL's (a host with a control character...).
    params = conninfo.parse(conninfo.to_conninfo(params), "spec.connection")
    if conn.password_secret is not None:
        ref = conn.password_secret
        password = secret_text(kube, namespace, resource, ref)
        if "\x00" in password:
            raise InvalidConnectionString(f"Secret {namespace}/{ref.name} key {ref.key}: has a "
                                          "NUL character (the value is not shown)")
        if password:
            params["password"] = password
    return params


def require_auth(params: dict[str, str]) -> None:
    """Make libpq refuse cleartext and MD5 password authentication (a stricter list stays)."""
    if psycopg.pq.version() < _LIBPQ_REQUIRE_AUTH:
        raise InsecureAuthUnavailable(
            f"libpq {psycopg.pq.version()} cannot refuse cleartext passwords (require_auth "
            "needs libpq 16 or later); upgrade the image, or set "
            "spec.connection.allowInsecureAuth: true to connect anyway")
    own = [m.strip() for m in params.get("require_auth", "").split(",") if m.strip()]
    negated = all(m.startswith("!") for m in own)
    strict = bool(own) and (
        all(f"!{m}" in own for m in _REFUSED_METHODS) if negated
        else not any(m in _REFUSED_METHODS for m in own))
    if not strict:
        params["require_auth"] = REQUIRE_AUTH


def _networks(allowlist: Sequence[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    nets = []
    for entry in allowlist:
        try:
            nets.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue  # a host name
    return nets


def _name_allowed(host: str, allowlist: Sequence[str]) -> bool:
    host = host.lower().rstrip(".")
    for entry in allowlist:
        entry = entry.lower().rstrip(".")
        if host == entry or (entry.startswith("*.") and host.endswith(entry[1:])):
            return True
    return False


def _addresses(host: str, port: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, int(port or 5432), type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise Unavailable(f"cannot resolve database host {host}: "
                          f"{getattr(exc, 'strerror', None) or type(exc).__name__}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_hosts(params: dict[str, str], allowlist: Sequence[str], where: str) -> dict[str, str]:
    """Refuse a host outside ``allowlist`` (empty: no restriction); pin checked addresses."""
    if not allowlist:
        return params
    nets = _networks(allowlist)
    hosts = params.get("host", "").split(",")
    addrs = params.get("hostaddr", "").split(",") if params.get("hostaddr") else [""] * len(hosts)
    ports = params.get("port", "").split(",")
    if len(ports) == 1:
        ports = ports * len(hosts)
    if len(addrs) != len(hosts) or len(ports) != len(hosts):
        raise InvalidConnectionString(f"{where}: has host, hostaddr and port lists of "
                                      "different lengths")
    pinned_entries: list[tuple[str, str, str]] = []  # (host, hostaddr, port)
    for host, addr, port in zip(hosts, addrs, ports, strict=True):
        shown = addr or host or "the default Unix socket"
        if not addr and (not host or host.startswith(("/", "@"))):
            if host and host in allowlist:
                pinned_entries.append((host, "", port))
                continue
            raise HostNotAllowed(f"{where}: {shown} is not in DB_MIGRATE_ALLOWED_HOSTS")
        if not addr and _name_allowed(host, allowlist):
            pinned_entries.append((host, "", port))
            continue
        found = [addr] if addr else _addresses(host, port)
        outside = [a for a in found if not any(ipaddress.ip_address(a) in n for n in nets)]
        if outside:
            resolved = "" if addr or found == [host] else f" (resolves to {', '.join(outside)})"
            raise HostNotAllowed(f"{where}: host {shown}{resolved} is not in "
                                 "DB_MIGRATE_ALLOWED_HOSTS; the operator's administrator "
                                 "decides which hosts and networks are allowed")
        # One entry per checked address: libpq then never resolves the name again (no DNS
        # rebinding between our check and its connect); host stays for TLS verification.
        pinned_entries.extend((host or a, a, port) for a in found)
    pinned = dict(params)
    pinned["host"] = ",".join(e[0] for e in pinned_entries)
    pinned.pop("hostaddr", None)
    pinned.pop("port", None)
    if any(e[1] for e in pinned_entries):
        pinned["hostaddr"] = ",".join(e[1] for e in pinned_entries)
    if any(e[2] for e in pinned_entries):
        pinned["port"] = ",".join(e[2] for e in pinned_entries)
    return pinned


def in_namespace(params: dict[str, str], namespace: str) -> dict[str, str]:
    """Read a one-label host (``postgres``) as a Service in the resource's own namespace.

    The operator runs in its own namespace, where ``postgres`` would resolve to a Service of
    *that* namespace (or nothing). A Pod in the DatabaseMigration's namespace, such as the
    application or the seed's Job, reads it as ``postgres.<namespace>.svc``, and so do we.
    Qualified names, addresses, socket directories and ``localhost`` are left as they are.
    """
    hosts = params.get("host")
    if not hosts:
        return params

    def qualified(host: str) -> str:
        if not host or "." in host or ":" in host or host.startswith(("/", "@")) or host == "localhost":
            return host
        return f"{host}.{namespace}.svc"

    return {**params, "host": ",".join(qualified(h) for h in hosts.split(","))}


def connection_url(kube: Kube, namespace: str, resource: str, conn: Connection,
                   settings: Settings) -> str:
    """The conninfo the engine connects with, or InvalidInput/Unavailable saying why not."""
    params = in_namespace(connection_params(kube, namespace, resource, conn), namespace)
    if not conn.allow_insecure_auth:
        require_auth(params)
    where = (f"Secret {namespace}/{conn.url_secret.name}" if conn.url_secret is not None
             else "spec.connection")
    return conninfo.to_conninfo(check_hosts(params, settings.allowed_hosts, where))


__all__ = ["ALLOW", "ALLOW_FOR", "REQUIRE_AUTH", "HostNotAllowed", "SecretNotAllowed",
           "allowed", "check_hosts", "connection_url", "in_namespace", "require_auth", "secret_text"]
