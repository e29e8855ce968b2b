"""An OpenID provider on loopback whose every answer a test writes: for tokens and failures no real provider sends on cue.

It publishes discovery, a key set and userinfo like a real provider, signs ID tokens with its own RSA key, and
answers the token endpoint with whatever the test put in `token_answer`.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "npsd-helpdesk"


def new_rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(private_key, *, kid: str | None = "k1", **extra) -> dict:
    key = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private_key.public_key()))
    key.update({"use": "sig", "alg": "RS256", **extra})
    if kid is not None:
        key["kid"] = kid
    return key


@dataclass
class Answer:
    status: int = 200
    body: object = None  # a dict or list is sent as JSON, a str as it is
    content_type: str = "application/json"
    delay_seconds: float = 0


@dataclass
class ScriptedProvider:
    issuer: str = ""
    key: object = field(default_factory=new_rsa_key)
    token_answer: Answer = field(default_factory=Answer)
    userinfo_answer: Answer | None = None  # None: the ID token's claims, as JSON
    jwks_answer: Answer | None = None  # None: the one public key, with kid "k1"
    token_endpoint: str = ""  # empty: this server's own
    token_requests: list = field(default_factory=list)

    def id_token(self, *, nonce: str | None, key=None, headers: dict | None = None, algorithm="RS256", **claims):
        """A signed ID token for the help desk; claims given replace the defaults, None removes one."""
        now = int(time.time())
        payload = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "pat",
            "email": "pat.lee@northpanolaschools.org",
            "email_verified": True,
            "hd": "northpanolaschools.org",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **claims,
        }
        payload = {name: value for name, value in payload.items() if value is not None}
        signing_key = None if algorithm == "none" else self.key if key is None else key
        return jwt.encode(payload, signing_key, algorithm=algorithm, headers=headers)

    def token_with(self, id_token) -> Answer:
        return Answer(body={"access_token": "at-1", "token_type": "Bearer", "expires_in": 300, "id_token": id_token})

    def claims_of(self, id_token: str) -> dict:
        return jwt.decode(id_token, options={"verify_signature": False})


def _handler(provider: ScriptedProvider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep pytest's output clean
            pass

        def _send(self, answer: Answer):
            time.sleep(answer.delay_seconds)
            body = answer.body
            data = json.dumps(body).encode() if isinstance(body, (dict, list)) else str(body or "").encode()
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the help desk gave up waiting (a timeout test)

        def do_GET(self):
            path = urlsplit(self.path).path
            if path == "/.well-known/openid-configuration":
                self._send(
                    Answer(
                        body={
                            "issuer": provider.issuer,
                            "authorization_endpoint": f"{provider.issuer}/authorize",
                            "token_endpoint": provider.token_endpoint or f"{provider.issuer}/token",
                            "userinfo_endpoint": f"{provider.issuer}/userinfo",
                            "jwks_uri": f"{provider.issuer}/jwks",
                            "id_token_signing_alg_values_supported": ["RS256"],
                        }
                    )
                )
            elif path == "/jwks":
                self._send(provider.jwks_answer or Answer(body={"keys": [public_jwk(provider.key)]}))
            elif path == "/userinfo":
                if provider.userinfo_answer is not None:
                    self._send(provider.userinfo_answer)
                else:
                    token = provider.token_answer.body or {}
                    self._send(Answer(body=provider.claims_of(token["id_token"]) if isinstance(token, dict) else {}))
            else:
                self._send(Answer(status=404, body={"error": "not_found"}))

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode())
            provider.token_requests.append({name: values[0] for name, values in form.items()})
            self._send(provider.token_answer)

    return Handler


def run_scripted_provider():
    """Start a provider in a thread; returns (provider, stop)."""
    provider = ScriptedProvider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.issuer = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()

    return provider, stop
