"""A throwaway Dovecot IMAP server on loopback, for tests of the inbound email poller.

With `oauth_introspection_url`, Dovecot also accepts SASL XOAUTH2 and OAUTHBEARER and asks that URL whether each
bearer token is active and whose it is (its oauth2 passdb, RFC 7662 introspection), as Exchange Online and Gmail check
the tokens their providers issued; the password keeps working beside it.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
instance_name = helpdesk-test-{port}
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = {mechanisms}
auth_failure_delay = 0
log_path = {root}/dovecot.log
mail_location = maildir:{root}/mail/%u
first_valid_uid = {uid}
last_valid_uid = {uid}
default_internal_user = {internal_user}
default_login_user = {login_user}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
  mechanisms = plain login
}}
{oauth_passdb}userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
# No brute-force penalty (2, 4, 8 s after each failure from one IP): tests retry at once after a refused token.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""
OAUTH_PASSDB = """passdb {{
  driver = oauth2
  mechanisms = {mechanisms}
  args = {root}/dovecot-oauth2.conf.ext
}}
"""
# Dovecot posts token=<bearer> and reads the JSON answer: "active" must be true and "username" the one signing in.
OAUTH_CONFIG = """introspection_mode = post
introspection_url = {introspection_url}
username_attribute = username
active_attribute = active
active_value = true
"""


class DovecotServer:
    """Start Dovecot with one mailbox user; stop() removes everything."""

    def __init__(
        self,
        *,
        user: str = "helpdesk",
        password: str = "inbox-password",
        oauth_introspection_url: str = "",
        oauth_mechanisms: str = "xoauth2 oauthbearer",
    ):
        self.user, self.password = user, password
        self.oauth_introspection_url, self.oauth_mechanisms = oauth_introspection_url, oauth_mechanisms
        self.root = Path(tempfile.mkdtemp(prefix="helpdesk-imap-"))
        self.port = _free_port()
        self.process = None

    def start(self) -> "DovecotServer":
        mail_user = pwd.getpwnam("mail")
        internal = "dovecot" if _user_exists("dovecot") else "mail"
        login = "dovenull" if _user_exists("dovenull") else internal
        for folder in ("run", "state", "mail"):
            (self.root / folder).mkdir()
        os.chmod(self.root, 0o755)
        os.chown(self.root / "mail", mail_user.pw_uid, mail_user.pw_gid)
        (self.root / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        oauth_passdb = ""
        if self.oauth_introspection_url:
            (self.root / "dovecot-oauth2.conf.ext").write_text(
                OAUTH_CONFIG.format(introspection_url=self.oauth_introspection_url)
            )
            oauth_passdb = OAUTH_PASSDB.format(root=self.root, mechanisms=self.oauth_mechanisms)
        config = self.root / "dovecot.conf"
        config.write_text(
            CONFIG.format(
                root=self.root,
                mechanisms=f"plain login {self.oauth_mechanisms}" if oauth_passdb else "plain login",
                oauth_passdb=oauth_passdb,
                port=self.port,
                uid=mail_user.pw_uid,
                gid=mail_user.pw_gid,
                internal_user=internal,
                login_user=login,
            )
        )
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"dovecot exited: {self.process.stdout.read().decode()} {self.log()}") from None
                time.sleep(0.1)
        raise RuntimeError(f"dovecot did not listen on {self.port}: {self.log()}")

    def log(self) -> str:
        log = self.root / "dovecot.log"
        return log.read_text() if log.exists() else ""

    @property
    def url(self) -> str:
        return f"imap://{self.user}:{self.password}@127.0.0.1:{self.port}/INBOX"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.root, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False
