"""spec.connection + the Secrets it names -> a libpq connection string, or a clear refusal.

Whoever may create a DatabaseMigration must not gain more than the Secrets' owners and the
operator's administrator granted (docs/security.md).  Each step guards the next:

1. a Secret is used only if its owner opted in (``allow`` label/annotation, or ``allow-for``
   naming this DatabaseMigration); nothing of it is decoded before that check;
2. a password goes only to a host that its Secret names (a URL key, CloudNativePG's ``host``
   and ``port`` keys, or the ``allowed-hosts`` annotation): the resource's author cannot
   point it anywhere else (``SecretHostMismatch``), whatever the rest of the spec says;
3. every value read is registered with the run's scrubber, and values are parsed by our own
   parser, whose messages never quote them;
4. ``require_auth`` makes libpq refuse to send a cleartext or MD5-hashed password, unless the
   Secret's owner or the operator's administrator allowed it for that host;
5. every host must be in ``DB_MIGRATE_ALLOWED_HOSTS`` (when set): names are resolved, every
   address is checked, and the checked addresses are pinned (``hostaddr``) so that libpq
   cannot resolve the name to another address afterwards.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import psycopg

from db_migrate.engine import conninfo
from db_migrate.engine.conninfo import InvalidConnectionString
from db_migrate.engine.errors import InvalidInput, Unavailable
from db_migrate.engine.scrub import Scrubber
from db_migrate.reconciler.kube import Kube, SecretNotFound, SecretObject
from db_migrate.reconciler.settings import Settings
from db_migrate.reconciler.spec import GROUP, Connection

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


#: Annotation on a Secret, comma-separated ``host``, ``host:port``, ``[v6addr]:port`` or socket
#: directories: where else its password may be sent, besides the hosts its own keys name.
ALLOWED_HOSTS = f"{GROUP}/allowed-hosts"
#: Annotation on a Secret, value "true": its owner accepts that its password is answered to a
#: cleartext or MD5 request from the hosts it names (never from any other host).
ALLOW_INSECURE_AUTH = f"{GROUP}/allow-insecure-auth"
#: Keys whose value is a URL naming the database (``uri``, ``fqdn-uri``: CloudNativePG's layout).
URL_KEYS = ("url", "uri", "fqdn-uri")


class SecretHostMismatch(InvalidInput):
    reason = "SecretHostMismatch"


@dataclass(frozen=True)
class Endpoint:
    """A host (canonical form) and port that a Secret names; port None: any port."""

    host: str
    port: str | None

    def admits(self, host: str, port: str) -> bool:
        return self.host == host and (self.port is None or self.port == port)


def canonical_host(host: str, namespace: str) -> str:
    """One spelling per host, so that a Secret's and a spec's names compare equal.

    Names are case-insensitive and may end in a dot; IP addresses have several spellings; a
    one-label name is the Service of that name in the resource's namespace (as in_namespace
    reads it); ``x.ns.svc.cluster.local`` is ``x.ns.svc``."""
    host = host.strip().lower().rstrip(".")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if host.startswith(("/", "@")):
        return host
    host = in_namespace({"host": host}, namespace)["host"]
    return host.removesuffix(".cluster.local") if host.endswith(".svc.cluster.local") else host


def _annotation_endpoints(value: str, namespace: str) -> list[Endpoint]:
    out: list[Endpoint] = []
    for entry in (e.strip() for e in value.split(",")):
        if not entry:
            continue
        host: str = entry
        port: str | None = None
        if entry.startswith("["):
            close = entry.find("]")
            host, rest = entry[:close + 1], entry[close + 1:]
            port = rest[1:] if rest.startswith(":") else None
        elif entry.count(":") == 1 and not entry.startswith("/"):
            host, port = entry.split(":")
        out.append(Endpoint(canonical_host(host, namespace), port or None))
    return out


@dataclass
class _Secret:
    """One allowed Secret: its decoded values are read once and each is registered with the
    run's scrubber before anything else can see it."""

    obj: SecretObject
    scrubber: Scrubber
    values: dict[str, str | None] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"Secret {self.obj.namespace}/{self.obj.name}"

    def get(self, key: str, *, strip: Callable[[str], str] = str.strip) -> str | None:
        if key not in self.values:
            self.values[key] = None
            if key in self.obj.encoded:
                text = _decode(self.obj.encoded[key], f"{self.origin} key {key}")
                self.scrubber.add(text)
                self.values[key] = strip(text)
        return self.values[key]

    def require(self, key: str, **kw: Callable[[str], str]) -> str:
        value = self.get(key, **kw)
        if value is None:
            raise SecretNotFound(f"{self.origin} has no key {key!r}")
        return value

    def endpoints(self, namespace: str) -> list[Endpoint]:
        """Where the owner lets this Secret's password go: the hosts its own keys name (a URL
        key, or CloudNativePG's host and port keys) and its allowed-hosts annotation."""
        out: list[Endpoint] = []
        for key in URL_KEYS:
            text = self.get(key)
            if not text:
                continue
            try:
                params = conninfo.parse(text, f"{self.origin} key {key}")
            except InvalidConnectionString:
                continue  # not a URL: it names nothing
            hosts = params.get("hostaddr", params.get("host", "")).split(",")
            ports = params.get("port", "").split(",")
            for i, host in enumerate(hosts):
                port = ports[i] if i < len(ports) else ports[0]
                if host:
                    out.append(Endpoint(canonical_host(host, namespace), port or "5432"))
            if params.get("hostaddr") and params.get("host"):
                out += [Endpoint(canonical_host(h, namespace), (ports[0] or "5432"))
                        for h in params["host"].split(",") if h]
        named_host = self.get("host")
        if named_host:
            named_port = self.get("port") or "5432"
            out += [Endpoint(canonical_host(h, namespace), named_port)
                    for h in named_host.split(",") if h]
        out += _annotation_endpoints(self.obj.annotations.get(ALLOWED_HOSTS, ""), namespace)
        return out

    @property
    def insecure_auth(self) -> bool:
        return self.obj.annotations.get(ALLOW_INSECURE_AUTH) == "true"


def _decode(encoded: str, origin: str) -> str:
    try:
        return base64.b64decode(encoded, validate=True).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidConnectionString(
            f"{origin}: is not UTF-8 text at position {exc.start + 1} "
            "(the value is not shown)") from None
    except binascii.Error:
        raise InvalidConnectionString(f"{origin}: is not valid base64 data "
                                      "(the value is not shown)") from None


def _allowed_secret(kube: Kube, namespace: str, resource: str, name: str,
                    scrubber: Scrubber) -> _Secret:
    secret = kube.secret(namespace, name)
    if not allowed(secret, resource):
        raise SecretNotAllowed(
            f"Secret {namespace}/{name} is not allowed for DatabaseMigration {resource}: "
            f"its owner must label it {ALLOW}=true (any DatabaseMigration in {namespace}) or "
            f"annotate it {ALLOW_FOR}={resource} (a comma-separated list of names), e.g. "
            f"kubectl -n {namespace} annotate secret {name} {ALLOW_FOR}={resource}")
    return _Secret(secret, scrubber)


def strip_password(text: str) -> str:
    """A password as its Secret holds it, less one trailing newline (``echo`` and editors add
    one); spaces at either end are part of the password."""
    return text.removesuffix("\r\n") if text.endswith("\r\n") else text.removesuffix("\n")


@dataclass(frozen=True)
class Target:
    """What the engine connects with, and how messages may name it."""

    params: dict[str, str]
    #: "es1 on db.example:5432" when the spec wrote it, a reference when a Secret did.
    description: str
    #: The Secret whose password goes with the connection (None: no password at all).
    secret: _Secret | None = None


def connection_params(kube: Kube, namespace: str, resource: str, conn: Connection,
                      scrubber: Scrubber) -> Target:
    if conn.url_secret is not None:
        ref = conn.url_secret
        secret = _allowed_secret(kube, namespace, resource, ref.name, scrubber)
        origin = f"{secret.origin} key {ref.key}"
        # A URL or key=value string has no meaningful space at either end (a space inside a
        # URL must be percent-encoded), so the whole value is stripped, unlike a password.
        text = secret.require(ref.key)
        params = conninfo.parse(text, origin)
        return Target(params, f"the database in {origin}", secret)
    if conn.password_secret is None:
        params = {"host": str(conn.host), "port": str(conn.port), "dbname": str(conn.dbname),
                  "user": str(conn.user), "sslmode": conn.sslmode}
        # The spec's own values are checked like a URL's (a host with a control character...).
        params = conninfo.parse(conninfo.to_conninfo(params), "spec.connection")
        return Target(params, f"{conn.dbname} on {conn.host}:{conn.port}")
    ref = conn.password_secret
    secret = _allowed_secret(kube, namespace, resource, ref.name, scrubber)
    # Read the password first: every value of the Secret is registered with the scrubber
    # before any message about this Secret can be written.
    password = secret.require(ref.key, strip=strip_password)
    named = secret.endpoints(namespace)
    # CloudNativePG's layout: the Secret may name the database and user too.
    dbname = conn.dbname or secret.get("dbname")
    user = conn.user or secret.get("user") or secret.get("username")
    if not dbname or not user:
        missing = "dbname" if not dbname else "user"
        raise InvalidConnectionString(f"spec.connection has no {missing}, and "
                                      f"{secret.origin} has no {missing} key to take it from")
    if conn.host is None:
        host = secret.get("host")
        if not host:
            raise InvalidConnectionString(
                f"spec.connection has no host, and {secret.origin} has no host key to take it "
                "from (give spec.connection.host, or use a Secret with host, port, dbname and "
                "user keys, as CloudNativePG's <cluster>-app Secrets have)")
        params = {"host": host, "port": secret.get("port") or "5432", "dbname": dbname,
                  "user": user, "sslmode": conn.sslmode}
        described = f"the database in {secret.origin}"
    else:
        params = {"host": str(conn.host), "port": str(conn.port), "dbname": dbname,
                  "user": user, "sslmode": conn.sslmode}
        described = (f"{conn.dbname} on {conn.host}:{conn.port}" if conn.dbname
                     else f"the database in {secret.origin}")
        host = canonical_host(str(conn.host), namespace)
        if not any(e.admits(host, str(conn.port)) for e in named):
            raise SecretHostMismatch(
                f"spec.connection.host {conn.host}:{conn.port} is not a host that {secret.origin} "
                f"names for its password, so nothing was sent: the Secret's owner names the "
                f"hosts in its url (or uri) key, in its host and port keys, or in the annotation "
                f"{ALLOWED_HOSTS} (docs/security.md)")
    params = conninfo.parse(conninfo.to_conninfo(params), "spec.connection")
    if "\x00" in password:
        raise InvalidConnectionString(f"{secret.origin} key {ref.key}: has a "
                                      "NUL character (the value is not shown)")
    if password:
        params["password"] = password
    return Target(params, described, secret)


def require_auth(params: dict[str, str]) -> None:
    """Make libpq refuse cleartext and MD5 password authentication (a stricter list stays)."""
    if psycopg.pq.version() < _LIBPQ_REQUIRE_AUTH:
        raise InsecureAuthUnavailable(
            f"libpq {psycopg.pq.version()} cannot refuse cleartext passwords (require_auth "
            "needs libpq 16 or later); upgrade the image, or let the Secret's owner annotate it "
            f"{ALLOW_INSECURE_AUTH}=true to connect anyway")
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


def _addresses(host: str, port: str, shown: str | None = None) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, int(port or 5432), type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise Unavailable(f"cannot resolve database host {shown or host}: "
                          f"{getattr(exc, 'strerror', None) or type(exc).__name__}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_hosts(params: dict[str, str], allowlist: Sequence[str], where: str,
                shown: str | None = None) -> dict[str, str]:
    """Refuse a host outside ``allowlist`` (empty: no restriction); pin checked addresses.

    ``shown``: how messages name a host that came from a Secret (never by its value)."""
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
        named = shown or addr or host or "the default Unix socket"
        if not addr and (not host or host.startswith(("/", "@"))):
            if host and host in allowlist:
                pinned_entries.append((host, "", port))
                continue
            raise HostNotAllowed(f"{where}: {named} is not in DB_MIGRATE_ALLOWED_HOSTS")
        if not addr and _name_allowed(host, allowlist):
            pinned_entries.append((host, "", port))
            continue
        found = [addr] if addr else _addresses(host, port, shown)
        outside = [a for a in found if not any(ipaddress.ip_address(a) in n for n in nets)]
        if outside:
            resolved = "" if shown or addr or found == [host] else \
                f" (resolves to {', '.join(outside)})"
            raise HostNotAllowed(f"{where}: host {named}{resolved} is not in "
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


@dataclass(frozen=True)
class Resolved:
    url: str
    #: How messages and status name the database (a reference when a Secret names it).
    target: str


def _insecure_auth_allowed(params: dict[str, str], secret: _Secret | None,
                           settings: Settings) -> bool:
    """Only the Secret's owner (annotation) or the operator's administrator (variable) may let
    a password be answered in clear text or as MD5: never the resource's author."""
    if secret is not None and secret.insecure_auth:
        return True
    hosts = [h for h in params.get("host", "").split(",") if h]
    if not hosts or not settings.insecure_auth_hosts:
        return False
    nets = _networks(settings.insecure_auth_hosts)

    def listed(host: str) -> bool:
        try:
            return any(ipaddress.ip_address(host) in n for n in nets)
        except ValueError:
            return _name_allowed(host, settings.insecure_auth_hosts)
    return all(listed(h) for h in hosts)


def connection_url(kube: Kube, namespace: str, resource: str, conn: Connection,
                   settings: Settings, scrubber: Scrubber | None = None) -> Resolved:
    """The conninfo the engine connects with, or InvalidInput/Unavailable saying why not.

    Every value read from a Secret is registered with ``scrubber`` as it is read."""
    scrubber = scrubber if scrubber is not None else Scrubber()
    target = connection_params(kube, namespace, resource, conn, scrubber)
    params = in_namespace(target.params, namespace)
    if not _insecure_auth_allowed(params, target.secret, settings):
        require_auth(params)
    where = (f"Secret {namespace}/{conn.url_secret.name}" if conn.url_secret is not None
             else "spec.connection")
    # A host the spec wrote may be named; one a Secret wrote only by reference.
    shown = None if conn.host is not None else \
        f"the host in {target.description.removeprefix('the database in ')}"
    pinned = check_hosts(params, settings.allowed_hosts, where, shown=shown)
    return Resolved(conninfo.to_conninfo(pinned), target.description)


__all__ = ["ALLOW", "ALLOWED_HOSTS", "ALLOW_FOR", "ALLOW_INSECURE_AUTH", "REQUIRE_AUTH",
           "HostNotAllowed", "Resolved", "SecretHostMismatch", "SecretNotAllowed", "allowed",
           "canonical_host", "check_hosts", "connection_url", "in_namespace", "require_auth",
           "strip_password"]
