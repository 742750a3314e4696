"""Test harness: runs the real sorceryd on a temporary directory and talks to it over its real
sockets (HTTP with curl, the console with `sorceryd -rx`).

Every test file is a unittest module run by CTest; `main()` prints the closing
'N passed, N failed' line.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

SOURCE_DIR = os.environ.get("SORCERYD_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
BIN = os.environ.get("SORCERYD_BIN", os.path.join(SOURCE_DIR, "build", "src", "sorceryd"))
SPEC_DIR = os.path.abspath(os.path.join(SOURCE_DIR, "..", "shared", "spec"))
CAPTURES = os.path.join(SPEC_DIR, "asterisk-captures")

DEFAULT_CONFIG = {
    "ari.conf": """[general]
enabled = yes
pretty = no

[asterisk]
type = user
read_only = no
password = secret
password_format = plain

[reader]
type = user
read_only = yes
password = secret
password_format = plain
""",
    "sorcery.conf": """[res_pjsip]
endpoint=astdb,ps_endpoints
auth=astdb,ps_auths
aor=astdb,ps_aors
domain_alias=astdb,ps_domain_aliases
contact=astdb,ps_contacts
system=astdb,ps_systems

[res_pjsip_endpoint_identifier_ip]
identify=astdb,ps_endpoint_id_ips

[res_pjsip_outbound_registration]
registration=astdb,ps_registrations
""",
    "pjsip.conf": """[transport-udp]
type=transport
protocol=udp
bind=127.0.0.1:5060

[transport-tcp]
type=transport
protocol=tcp
bind=127.0.0.1:5060
""",
}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # list of (name, value) in order
        self.body = body

    def header(self, name):
        for n, v in self.headers:
            if n.lower() == name.lower():
                return v
        return None

    def json(self):
        return json.loads(self.body)

    def fields(self):
        """The body as a dict attribute -> value (last wins) — for value checks."""
        return {e["attribute"]: e["value"] for e in self.json()}

    def __repr__(self):
        return "<Response %d %s %r>" % (self.status, self.reason, self.body[:200])


class Daemon:
    """One sorceryd process on its own directory tree and port."""

    def __init__(self, config=None, extra_files=None, http_extra=""):
        self.dir = tempfile.mkdtemp(prefix="sorceryd-e2e-")
        self.etc = os.path.join(self.dir, "etc")
        os.makedirs(self.etc)
        self.port = free_port()
        files = dict(DEFAULT_CONFIG)
        if config:
            files.update(config)
        files.setdefault("http.conf", "[general]\nservername=Asterisk\nenabled=yes\nbindaddr=127.0.0.1\n"
                         "bindport=%d\n%s" % (self.port, http_extra))
        for name, text in files.items():
            if text is None:
                continue
            with open(os.path.join(self.etc, name), "w") as f:
                f.write(text)
        for name, text in (extra_files or {}).items():
            path = os.path.join(self.dir, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
        self.conf = os.path.join(self.etc, "asterisk.conf")
        with open(self.conf, "w") as f:
            f.write("[directories]\nastetcdir => %s\nastdbdir => %s\nastrundir => %s\n" % (
                self.etc, os.path.join(self.dir, "db"), os.path.join(self.dir, "run")))
        self.proc = None
        self.log_path = os.path.join(self.dir, "sorceryd.log")
        self.base = "http://127.0.0.1:%d/ari" % self.port

    @property
    def astdb_path(self):
        return os.path.join(self.dir, "db", "astdb.sqlite3")

    def start(self, expect_ready=True, timeout=15):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([BIN, "-f", "-C", self.conf], stdout=self.log, stderr=subprocess.STDOUT)
        if not expect_ready:
            return self
        deadline = time.time() + timeout
        sock = os.path.join(self.dir, "run", "sorceryd.ctl")
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("sorceryd exited with %s:\n%s" % (self.proc.returncode, self.read_log()))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    if os.path.exists(sock):
                        return self
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("sorceryd did not become ready:\n" + self.read_log())

    def wait_exit(self, timeout=15):
        return self.proc.wait(timeout=timeout)

    def read_log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode if self.proc else None

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def cleanup(self):
        self.stop()
        if os.environ.get("SORCERYD_KEEP_TMP"):
            return
        shutil.rmtree(self.dir, ignore_errors=True)

    def cli(self, command):
        out = subprocess.run([BIN, "-C", self.conf, "-rx", command], capture_output=True, timeout=30)
        if out.returncode != 0:
            raise RuntimeError("sorceryd -rx failed: %s" % out.stderr.decode(errors="replace"))
        return out.stdout.decode()

    def curl(self, method, path, body=None, user="asterisk:secret", content_type="application/json",
             extra=None, url=None):
        """Runs curl and parses the raw response. `path` is below /ari."""
        args = ["curl", "-sS", "-i", "-X", method, "--max-time", "20"]
        if user is not None:
            args += ["-u", user]
        if body is not None:
            if content_type is not None:
                args += ["-H", "Content-Type: " + content_type]
            args += ["--data-binary", body]
        args += extra or []
        args.append(url or (self.base + path))
        out = subprocess.run(args, capture_output=True, timeout=30)
        if out.returncode != 0:
            raise RuntimeError("curl failed (%d): %s" % (out.returncode, out.stderr.decode(errors="replace")))
        return parse_response(out.stdout)

    def put(self, path, fields=None, raw=None, **kw):
        if raw is None:
            raw = json.dumps({"fields": [{"attribute": a, "value": v} for a, v in fields]})
        return self.curl("PUT", path, body=raw, **kw)

    def get(self, path, **kw):
        return self.curl("GET", path, **kw)

    def delete(self, path, **kw):
        return self.curl("DELETE", path, **kw)


def parse_response(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    proto, status, reason = (lines[0].split(" ", 2) + [""])[:3]
    headers = []
    for line in lines[1:]:
        n, _, v = line.partition(":")
        headers.append((n, v.strip()))
    return Response(int(status), reason, headers, body.decode())


def capture(name):
    """A capture file from a real Asterisk 23.4.1 (shared/spec/asterisk-captures)."""
    with open(os.path.join(CAPTURES, name), "rb") as f:
        return f.read()


def captured_response(name):
    return parse_response(capture(name + ".response"))


def captured_cli(name):
    """Console output of a capture, without its first line (the command)."""
    text = capture(name + ".cli").decode()
    return text.split("\n", 1)[1]


class DaemonTestCase(unittest.TestCase):
    """A test class sharing one daemon; override CONFIG for other configurations."""
    CONFIG = None

    @classmethod
    def setUpClass(cls):
        cls.d = Daemon(cls.CONFIG).start()

    @classmethod
    def tearDownClass(cls):
        cls.d.cleanup()


def main():
    if not os.path.exists(BIN):
        print("sorceryd binary not found at %s (build first)" % BIN)
        sys.exit(1)
    loader = unittest.TestLoader()
    suite = loader.loadTestsFromModule(sys.modules["__main__"])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    print("%d passed, %d failed, %d skipped" % (passed, failed, len(result.skipped)))
    sys.exit(0 if failed == 0 else 1)
