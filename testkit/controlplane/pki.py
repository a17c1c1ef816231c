"""The control plane's throwaway PKI, made with the openssl command.

A CA, the API server's serving certificate, an admin client certificate (system:masters)
and the ServiceAccount signing key, all under ``Layout.pki``.
"""

from __future__ import annotations

import secrets
import shutil
import ssl
import subprocess
from pathlib import Path

from testkit.controlplane.errors import ControlPlaneError

ADMIN_USER = "db-migrate-admin"

_OPENSSL_CONFIG = """\
[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
# The in-cluster names too: Pods on the local node (``up --node``) reach this server as
# the ``kubernetes`` Service (10.0.0.1, the first address of --service-cluster-ip-range).
subjectAltName = IP:127.0.0.1, DNS:localhost, IP:10.0.0.1, DNS:kubernetes, DNS:kubernetes.default, \
    DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
"""


def _openssl(pki: Path, *args: str) -> None:
    if shutil.which("openssl") is None:
        raise ControlPlaneError("the openssl command is needed to create the cluster certificates")
    result = subprocess.run(["openssl", *args], cwd=pki, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ControlPlaneError(f"openssl {args[0]} failed: {result.stderr.strip()}")


def _new_key(pki: Path, name: str) -> None:
    # ECDSA P-256: generation is instant (RSA would cost seconds per `up`), and
    # kube-apiserver accepts it for serving, client certs and ServiceAccount signing (ES256).
    _openssl(pki, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-out", f"{name}.key")  # fmt: skip
    (pki / f"{name}.key").chmod(0o600)


def issue(pki: Path, name: str, subject: str, extensions: str) -> None:
    """A new key ``name.key`` and ``name.crt`` signed by the CA in ``pki``.

    ``extensions`` names a section of the config: ``server`` or ``client``.
    """
    _new_key(pki, name)
    _openssl(pki, "req", "-new", "-config", "openssl.cnf", "-key", f"{name}.key",
             "-subj", subject, "-out", f"{name}.csr")  # fmt: skip
    serial = f"0x{secrets.token_hex(16)}"
    _openssl(pki, "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
             "-set_serial", serial, "-days", "3650", "-extfile", "openssl.cnf",
             "-extensions", extensions, "-out", f"{name}.crt")  # fmt: skip
    (pki / f"{name}.csr").unlink()


def create_pki(pki: Path) -> None:
    """A throwaway CA, the API server's serving cert, an admin client cert, the SA signing key."""
    pki.mkdir(parents=True, exist_ok=True)
    (pki / "openssl.cnf").write_text(_OPENSSL_CONFIG)
    _new_key(pki, "ca")
    _openssl(pki, "req", "-new", "-x509", "-config", "openssl.cnf", "-extensions", "ca",
             "-key", "ca.key", "-subj", "/CN=db-migrate-local-ca", "-days", "3650",
             "-out", "ca.crt")  # fmt: skip
    issue(pki, "apiserver", "/CN=kube-apiserver", "server")
    # The organisation is the Kubernetes group: system:masters bypasses RBAC entirely.
    issue(pki, "admin", f"/O=system:masters/CN={ADMIN_USER}", "client")
    _new_key(pki, "service-account")
    # The verifying side wants the public key on its own (a PKCS#8 EC key is not accepted).
    _openssl(pki, "pkey", "-in", "service-account.key", "-pubout", "-out", "service-account.pub")


def tls_context(pki: Path) -> ssl.SSLContext:
    """TLS as the admin: trusts the CA of ``pki`` and presents the admin client certificate."""
    ctx = ssl.create_default_context(cafile=str(pki / "ca.crt"))
    ctx.load_cert_chain(str(pki / "admin.crt"), str(pki / "admin.key"))
    return ctx
