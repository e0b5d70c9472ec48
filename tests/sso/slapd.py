"""A real OpenLDAP server (Debian's slapd) for the tests: its own folder, certificates and directory tree."""

from __future__ import annotations

import datetime
import shutil
import socket
import subprocess
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
SLAPADD = shutil.which("slapadd") or "/usr/sbin/slapadd"
SUFFIX = "dc=campus,dc=example"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "root-secret-4711"
SERVICE_DN = f"cn=accord,ou=services,{SUFFIX}"
SERVICE_PASSWORD = "service-secret-0815"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _certificates(folder: Path) -> Path:
    """A throw-away CA and a server certificate for 127.0.0.1 and localhost; returns the CA file."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Accord test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    import ipaddress

    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "server.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "server.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    (folder / "server.key").chmod(0o600)
    return folder / "ca.pem"


CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
TLSCACertificateFile {folder}/ca.pem
TLSCertificateFile {folder}/server.pem
TLSCertificateKeyFile {folder}/server.key
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_password}
directory {folder}/data
access to attrs=userPassword
  by self =xw
  by anonymous auth
  by * none
access to *
  by dn.exact="{service_dn}" read
  by self read
  by * none
"""

TREE = """\
dn: {suffix}
objectClass: dcObject
objectClass: organization
o: Campus
dc: campus

dn: ou=people,{suffix}
objectClass: organizationalUnit
ou: people

dn: ou=groups,{suffix}
objectClass: organizationalUnit
ou: groups

dn: ou=services,{suffix}
objectClass: organizationalUnit
ou: services

dn: {service_dn}
objectClass: person
cn: accord
sn: Accord
userPassword: {service_password}

dn: uid=lihua,ou=people,{suffix}
objectClass: inetOrgPerson
uid: lihua
cn: 李华
sn: 李
mail: lihua@campus.example
o: Chongqing University
ou: School of Civil Engineering
userPassword: lihua-password-1

dn: uid=zhangwei,ou=people,{suffix}
objectClass: inetOrgPerson
uid: zhangwei
cn: Zhang Wei
sn: Zhang
mail: zhangwei@campus.example
o: Chongqing University
userPassword: zhangwei-password-2

dn: cn=cooperation-office,ou=groups,{suffix}
objectClass: groupOfNames
cn: cooperation-office
member: uid=lihua,ou=people,{suffix}

dn: cn=all-staff,ou=groups,{suffix}
objectClass: groupOfNames
cn: all-staff
member: uid=lihua,ou=people,{suffix}
member: uid=zhangwei,ou=people,{suffix}
"""


class Slapd:
    """slapd listening on ldap:// (StartTLS) and ldaps:// on loopback, filled with a small campus."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.tls_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    @property
    def ldaps_url(self) -> str:
        return f"ldaps://127.0.0.1:{self.tls_port}"

    @property
    def ca_file(self) -> str:
        return str(self.folder / "ca.pem")

    def start(self) -> Slapd:
        values = {
            "folder": self.folder,
            "suffix": SUFFIX,
            "root_dn": ROOT_DN,
            "root_password": ROOT_PASSWORD,
            "service_dn": SERVICE_DN,
            "service_password": SERVICE_PASSWORD,
        }
        (self.folder / "data").mkdir(parents=True)
        _certificates(self.folder)
        conf = self.folder / "slapd.conf"
        conf.write_text(CONFIG.format(**values))
        (self.folder / "tree.ldif").write_text(TREE.format(**values))
        subprocess.run(
            [SLAPADD, "-f", str(conf), "-l", str(self.folder / "tree.ldif")], check=True, capture_output=True
        )
        self.process = subprocess.Popen(
            [SLAPD, "-f", str(conf), "-h", f"{self.url}/ {self.ldaps_url}/", "-d", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"slapd stopped: {self.process.stderr.read()!r}") from None  # type: ignore[union-attr]
                time.sleep(0.05)
        raise RuntimeError("slapd did not start listening")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def modify(self, dn: str, changes: dict[str, list[tuple[str, list[str]]]]) -> None:
        """Change the directory as its administrator (e.g. take someone out of a group)."""
        from ldap3 import Connection, Server

        with Connection(Server(self.url), ROOT_DN, ROOT_PASSWORD, auto_bind=True) as connection:
            connection.modify(dn, changes)
            assert connection.result["result"] == 0, connection.result
