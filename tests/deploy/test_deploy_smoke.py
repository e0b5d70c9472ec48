"""docs/deploy.md runs as written: its blocks, taken from the page, deploy Accord on PostgreSQL.

As root (CI runs so) with ACCORD_TEST_POSTGRES_URL set: the system user `accord` (not root), the data
folder it owns, the environment file made by the page's commands and read the way systemd reads it (no
shell expansion), migrations and an administrator through the page's `accord` function, the web unit's
ExecStart (two processes) and the worker unit's as that user, an upload through the API, the crontab
line's backup, and the page's test restore into a database and data folder of their own. The units are
checked with `systemd-analyze verify` and the nginx site with `nginx -t` where those programs exist.

Only paths move: /srv/accord is this checkout, and /etc, /var/lib, /var/backups live in a temporary
folder; the databases are the test cluster's.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from accord.envfile import read as read_env_file
from accord.models import Agreement, User
from accord.services import users
from accord.services.permissions import SYSTEM
from tests.support.databases import POSTGRES_URL, WORKER
from tests.support.servers import free_port

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "deploy.md"
# The checkout's virtual environment; ACCORD_DEPLOY_VENV names another where the service user cannot run
# the checkout's Python (one installed under /root, for example).
VENV = Path(os.environ.get("ACCORD_DEPLOY_VENV") or ROOT / ".venv")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
DOC_URL = "postgresql+psycopg://accord:PASSWORD@127.0.0.1/accord"

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
IN_CI = os.environ.get("CI") == "true"
# `.ci/run` sets it: it runs as root and installs PostgreSQL, nginx and systemd, so there the deployment
# must run, and a missing piece fails the test instead of skipping it unnoticed.
REQUIRED = os.environ.get("ACCORD_TEST_DEPLOY") == "required"


def unavailable(reason: str) -> NoReturn:
    """Skip where the deployment cannot be followed, unless it is required (ACCORD_TEST_DEPLOY)."""
    if REQUIRED:
        pytest.fail(f"{reason}; ACCORD_TEST_DEPLOY=required (.ci/run provides what this test needs)")
    pytest.skip(reason)


def blocks() -> list[tuple[str, str]]:
    """The fenced blocks of the page: (language, text)."""
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(DOC.read_text(encoding="utf-8"))]


def block(containing: str) -> str:
    """The one block holding ``containing``."""
    found = [body for _lang, body in blocks() if containing in body]
    assert len(found) == 1, f"deploy.md: {len(found)} blocks contain {containing!r}"
    return found[0]


def named(path: str) -> str:
    """The block whose first line names the file it is (``# /etc/...``)."""
    found = [body for _lang, body in blocks() if body.startswith(f"# {path}\n")]
    assert len(found) == 1, f"deploy.md has no block for {path}"
    return found[0]


class Site:
    """The page's paths, moved into a temporary folder, and the test databases."""

    def __init__(self, base: Path, database: str, restore_database: str, ports: tuple[int, int]) -> None:
        self.base = base
        self.ports = ports
        self.moves = {
            "/srv/accord/.venv": str(VENV),
            "/srv/accord": str(ROOT),
            "/etc/accord.env": str(base / "etc" / "accord.env"),
            "/var/lib/accord": str(base / "var" / "lib" / "accord"),
            "/var/backups/accord": str(base / "var" / "backups" / "accord"),
            "/etc/systemd/system/": str(base / "units") + "/",
            "/etc/nginx/sites-available/accord": str(base / "nginx" / "accord"),
            "/etc/ssl/accord": str(base / "ssl"),
            "127.0.0.1:8000": f"127.0.0.1:{ports[0]}",
            "127.0.0.1:8001": f"127.0.0.1:{ports[1]}",
            f"{DOC_URL}_restore_test": restore_database,
            DOC_URL: database,
            "ACCORD_SMTP_HOST=smtp.example.org": "ACCORD_SMTP_HOST=",  # no mail server in the test
        }

    def move(self, body: str) -> str:
        for old, new in self.moves.items():
            body = body.replace(old, new)
        return body

    def path(self, doc_path: str) -> Path:
        return Path(self.move(doc_path))


def bash(script: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, **kwargs
    )  # type: ignore[call-overload]
    assert result.returncode == 0, f"{script}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    return result


def lines_without(body: str, *skipped: str) -> str:
    """The block without the lines that install software or touch the real machine's services."""
    return "\n".join(line for line in body.splitlines() if not line.startswith(skipped))


def unit(body: str) -> dict[str, str]:
    """The [Service] settings of a unit file."""
    values: dict[str, str] = {}
    for line in body.splitlines():
        key, equals, value = line.partition("=")
        if equals and not line.startswith("#"):
            values.setdefault(key.strip(), value.strip())
    return values


def start(service: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Run a unit's ExecStart as its User, with only the variables of its EnvironmentFile (as systemd)."""
    variables = read_env_file(Path(service["EnvironmentFile"]))
    environment = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", **variables}
    command = ["runuser", "-u", service["User"], "--", "env", "-i"]
    command += [f"{k}={v}" for k, v in environment.items()] + service["ExecStart"].split()
    return subprocess.Popen(
        command,
        cwd=service["WorkingDirectory"],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*/*") if p.is_file()}


def open_the_way(venv: Path) -> None:
    """In CI only: let the service user walk to the checkout's environment, its sources and the Python
    the environment links to (o+x on the folders above them, no listing), as it walks to an
    installation under /srv; a fresh clone in a private folder is otherwise out of its reach."""
    interpreter = (venv / "bin" / "python").resolve()  # a venv links to the Python it was made from
    for target in (venv.resolve(), ROOT.resolve() / "src", interpreter.parents[1]):
        for folder in [target, *target.parents]:
            mode = folder.stat().st_mode
            if not mode & stat.S_IXOTH:
                folder.chmod(mode | stat.S_IXOTH)


@pytest.fixture
def site() -> Iterator[Site]:
    if not POSTGRES_URL:
        unavailable("ACCORD_TEST_POSTGRES_URL is not set")
    if os.geteuid() != 0:
        unavailable("the deployment runs as root (CI does), to make the system user and run as it")
    for program in ("runuser", "useradd", "install"):
        if shutil.which(program) is None:
            unavailable(f"{program} is not installed")
    base = Path(tempfile.mkdtemp(prefix="accord-deploy-"))
    base.chmod(0o755)  # the service user walks through it to its folders
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    # Tests of other pytest-xdist workers may deploy at the same moment: databases of their own.
    stem = f"{make_url(POSTGRES_URL).database}_deploy_{WORKER}"
    names = [stem, f"{stem}_restore"]
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL)
    database, restore = (url.set(database=n).render_as_string(hide_password=False) for n in names)
    try:
        yield Site(base, database, restore, (free_port(), free_port()))
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        shutil.rmtree(base, ignore_errors=True)


def prepare(site: Site) -> Path:
    """Section 2 of the page, as root: the system user, its data folder and the environment file made
    by the page's commands. Returns the data folder."""
    for folder in ("etc", "var/lib", "var/backups", "units", "nginx", "ssl"):
        (site.base / folder).mkdir(parents=True)
        (site.base / folder).chmod(0o755)
    first = site.move(lines_without(block("useradd --system"), "git clone", "python3 -m venv"))
    # The user may exist already; another worker's test may be making it at this very moment.
    with open(Path(tempfile.gettempdir()) / "accord-deploy-useradd.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        bash(first.replace("useradd ", "id accord >/dev/null 2>&1 || useradd ", 1))
    data = site.path("/var/lib/accord")
    assert data.stat().st_uid != 0 and data.owner() == "accord"
    runs = ["runuser", "-u", "accord", "--", f"{VENV}/bin/python", "-c", "import accord"]
    if subprocess.run(runs, capture_output=True).returncode and (IN_CI or REQUIRED):
        open_the_way(VENV)
    if subprocess.run(runs, capture_output=True).returncode:
        unavailable(f"the accord user cannot run {VENV}/bin/python (set ACCORD_DEPLOY_VENV to a venv it can)")
    bash(site.move(block("install -m 0640 -o root -g accord /dev/null /etc/accord.env")))
    return data


def test_the_deployment_page_runs_as_written(site: Site) -> None:
    # 2. The system user, its data folder, and the environment file made by the page's commands.
    data = prepare(site)
    env_file = site.path("/etc/accord.env")
    assert oct(env_file.stat().st_mode & 0o777) == "0o640"
    settings = read_env_file(env_file)
    assert settings["ACCORD_DATABASE_URL"] == site.moves[DOC_URL]
    assert settings["ACCORD_BASE_URL"].startswith("https://") and len(settings["ACCORD_SECRET_KEY"]) >= 48
    assert {"ACCORD_SMTP_HOST", "ACCORD_SMTP_PORT", "MPLCONFIGDIR"} <= set(settings)

    # Migrations, the check and an administrator, through the page's accord function (as accord).
    commands = site.move(block("accord() { runuser -u accord"))
    ran = bash(commands.replace("a long passphrase", "a-long-test-passphrase"))
    assert "Database upgraded empty → " in ran.stdout and "FAIL" not in ran.stdout, ran.stdout
    accord = commands.splitlines()[0]
    bash(f"{accord}\naccord demo")  # agreements to upload to
    engine = create_engine(site.moves[DOC_URL], poolclass=NullPool)
    with Session(engine) as session:
        admin = session.scalars(select(User).where(User.email == "you@example.org")).one()
        assert admin.is_admin
        _token, secret = users.create_token(session, SYSTEM, admin, "deploy test")
        agreement = session.scalars(select(Agreement.id).order_by(Agreement.id)).first()
        session.commit()

    # 3. Two web processes (the template unit on two ports) and the worker, as their User.
    web_unit = named("/etc/systemd/system/accord-web@.service")
    worker_unit = named("/etc/systemd/system/accord-worker.service")
    assert "After=network.target postgresql.service" in web_unit and "--port %i" in web_unit
    worker = unit(site.move(worker_unit))
    webs = [unit(site.move(web_unit).replace("%i", str(port))) for port in site.ports]
    assert {w["User"] for w in webs} == {worker["User"]} == {"accord"}
    logs = site.base / "logs"
    logs.mkdir()
    processes = [start(w, logs / f"web-{i}.log") for i, w in enumerate(webs)]
    processes.append(start(worker, logs / "worker.log"))
    try:
        for index, port in enumerate(site.ports):
            ready = False
            for _ in range(600):
                assert processes[index].poll() is None, (logs / f"web-{index}.log").read_text()
                try:
                    ready = httpx.get(f"http://127.0.0.1:{port}/login", timeout=5).status_code == 200
                except httpx.HTTPError:
                    ready = False
                if ready:
                    break
                time.sleep(0.5)
            assert ready, (logs / f"web-{index}.log").read_text()
        address = f"http://127.0.0.1:{site.ports[1]}"
        before = digests(data / "files")
        upload = httpx.post(
            f"{address}/api/v1/agreements/{agreement}/text",
            headers={"Authorization": f"Bearer {secret}"},
            files={
                "file": (
                    "deploy-test.txt",
                    "第一条 甲方应于2021年6月30日前提交年度报告。\n".encode(),
                    "text/plain",
                )
            },
            timeout=60,
        )
        assert upload.status_code in (201, 202), upload.text
        stored = digests(data / "files")
        assert set(stored) > set(before)  # the web process (user accord) wrote the new file
        assert {p.owner() for p in (data / "files").rglob("*")} == {"accord"}
        assert processes[2].poll() is None, (logs / "worker.log").read_text()
    finally:
        for process in processes:
            stop(process)

    # 5. The nightly backup, from the crontab line, as cron runs it (sh, `\%` is a `%`).
    bash(site.move(block("install -d -o accord -g accord -m 0750 /var/backups/accord\n")))
    cron = site.move(named("/etc/cron.d/accord")).splitlines()[1]
    fields = cron.split(None, 6)
    assert fields[5] == "accord" and "\\%" in fields[6]
    bash(f"runuser -u accord -- /bin/sh -c {shlex_quote(fields[6].replace(chr(92) + '%', '%'))}")
    [backup] = site.path("/var/backups/accord").glob("accord-*.zip")
    assert oct(backup.stat().st_mode & 0o777) == "0o600" and backup.owner() == "accord"
    with zipfile.ZipFile(backup) as archive:
        assert {f"files/{name}" for name in stored} <= set(archive.namelist())

    # The test restore into its own database and data folder.
    restore = lines_without(block("createdb --owner accord accord_restore_test"), "sudo -u postgres")
    restored_dir = site.base / "var" / "lib" / "accord-restore-test"
    bash(site.move(restore).replace("accord-YYYY-MM-DD.zip", backup.name))
    assert digests(restored_dir / "files") == stored
    assert digests(data / "files") == stored  # the live folder untouched
    restored = create_engine(site.moves[f"{DOC_URL}_restore_test"], poolclass=NullPool)
    with Session(engine) as live, Session(restored) as copy:
        for model in (User, Agreement):
            assert live.scalar(select(func.count()).select_from(model)) == copy.scalar(
                select(func.count()).select_from(model)
            )
    engine.dispose()
    restored.dispose()


def test_the_service_user_finds_a_files_folder_it_cannot_write(site: Site) -> None:
    """Root runs a command without runuser, then puts a files folder back as root: `accord check`, run by
    the service user as the page says, names the folder and the command that fixes it."""
    data = prepare(site)
    env_file = site.path("/etc/accord.env")
    accord = site.move(block("accord() { runuser -u accord")).splitlines()[0]

    # Run as root, `accord init` creates the files folder; Accord gives it to the data folder's owner.
    bash(f"{VENV}/bin/accord --env-file {env_file} init")
    files = data / "files"
    assert files.is_dir() and {p.owner() for p in [data, *data.rglob("*")]} == {"accord"}

    # A files folder copied back by root (cp -a from a copy, an old restore) is root's.
    bash(f"chown -R root:root {files} && chmod 0755 {files}")
    check = subprocess.run(["bash", "-c", f"{accord}\naccord check"], capture_output=True, text=True)
    assert check.returncode == 1, check.stdout + check.stderr
    [line] = [line for line in check.stdout.splitlines() if "data folder:" in line]
    assert line.startswith("FAIL") and f"{files} is not writable by accord (owner root" in line, line
    assert "Traceback" not in check.stderr, check.stderr

    # The line ends with the fix; after it the check passes.
    fix = line.split("run: ", 1)[1]
    assert fix == f"chown -R accord: {data}"
    bash(fix)
    again = bash(f"{accord}\naccord check")
    assert "FAIL" not in again.stdout and f"OK    data folder: {data} writable by accord" in again.stdout


def shlex_quote(value: str) -> str:
    import shlex

    return shlex.quote(value)


def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        unavailable("systemd-analyze is not installed")
    site = Site(
        tmp_path, "postgresql+psycopg://x@127.0.0.1/x", "postgresql+psycopg://x@127.0.0.1/y", (8000, 8001)
    )
    files = []
    for name in ("accord-web@.service", "accord-worker.service"):
        body = named(f"/etc/systemd/system/{name}").replace("/srv/accord", str(ROOT))
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        files.append(str(path))
    result = subprocess.run([analyze, "verify", *files], capture_output=True, text=True)
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if "accord" in line and "postgresql.service" not in line and "EnvironmentFile" not in line
    ]
    assert problems == [], result.stdout + result.stderr
    del site


def test_the_nginx_site_passes_nginx_t(tmp_path: Path) -> None:
    nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
    if nginx is None or openssl is None:
        unavailable("nginx (and openssl for a test certificate) is not installed")
    site = Site(tmp_path, "", "", (8000, 8001))
    (tmp_path / "ssl").mkdir()
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=accord.example.org",
            "-keyout",
            str(tmp_path / "ssl" / "privkey.pem"),
            "-out",
            str(tmp_path / "ssl" / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )
    (tmp_path / "nginx").mkdir()
    conf = tmp_path / "nginx" / "accord"
    conf.write_text(site.move(named("/etc/nginx/sites-available/accord")), encoding="utf-8")
    main = tmp_path / "nginx" / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n access_log off;\n include {conf};\n}}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [nginx, "-t", "-c", str(main), "-e", str(tmp_path / "error.log")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
