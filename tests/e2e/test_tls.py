"""HTTPS beside plain HTTP (http.conf tlsenable, tlsbindaddr, tlscertfile, tlsprivatekey, ...):
the seed walkthrough over HTTPS with curl verifying a throwaway test CA, plain HTTP answering the
same objects, start-up refusing bad certificate files, and wrong-protocol clients on the TLS port.

Certificates are made with the `openssl` command in each daemon's temporary directory and removed
with it; nothing here is ever written to the checkout."""
import os
import shutil
import socket
import ssl
import subprocess
import time
import unittest
import warnings

import harness
import test_walkthrough as walkthrough

OPENSSL = shutil.which("openssl")


def make_pki(directory):
    """A throwaway CA and a server certificate for localhost / 127.0.0.1 / ::1 (EC P-256) in
    `directory`. Returns a dict of paths: ca, cert, key, combined (cert followed by key)."""
    os.makedirs(directory, exist_ok=True)
    p = {name: os.path.join(directory, name) for name in
         ("ca.pem", "ca.key", "server.pem", "server.key", "server.csr", "server-combined.pem", "ext.cnf")}

    def run(*args):
        subprocess.run([OPENSSL] + list(args), check=True, capture_output=True, timeout=60)

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    run("req", "-x509", *ec, "-keyout", p["ca.key"], "-out", p["ca.pem"], "-days", "2",
        "-subj", "/CN=sorceryd e2e test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", *ec, "-keyout", p["server.key"], "-out", p["server.csr"], "-subj", "/CN=localhost")
    with open(p["ext.cnf"], "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\n"
                "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n")
    run("x509", "-req", "-in", p["server.csr"], "-CA", p["ca.pem"], "-CAkey", p["ca.key"],
        "-CAcreateserial", "-out", p["server.pem"], "-days", "2", "-extfile", p["ext.cnf"])
    with open(p["server-combined.pem"], "w") as out:
        for name in ("server.pem", "server.key"):
            with open(p[name]) as f:
                out.write(f.read())
    junk = os.path.join(directory, "junk.pem")
    with open(junk, "w") as f:
        f.write("-----BEGIN CERTIFICATE-----\nthis is not base64 DER\n-----END CERTIFICATE-----\n")
    return {"ca": p["ca.pem"], "ca_key": p["ca.key"], "cert": p["server.pem"], "key": p["server.key"],
            "combined": p["server-combined.pem"], "junk": junk}


def port_free(port):
    """True if nothing listens on localhost:port (either family) and 127.0.0.1:port can be bound."""
    for family, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        try:
            with socket.socket(family) as s:
                s.settimeout(0.3)
                if s.connect_ex((addr, port)) == 0:
                    return False
        except OSError:
            pass
    try:
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False


class TlsDaemon(harness.Daemon):
    """A Daemon with a plain listener (self.port) and an HTTPS listener (self.tls_port) whose
    certificate is signed by a CA made for this daemon (self.pki["ca"]).

    tls_lines: http.conf lines replacing the default tlscertfile/tlsprivatekey lines (use
    {cert}, {key}, {combined}, {tls_port} placeholders)."""

    def __init__(self, tls_port=None, tls_lines=None, http_extra="", config=None, astkeydir=None):
        self.tls_port = tls_port or harness.free_port()
        super().__init__(config=config, http_extra="")
        self.pki = make_pki(os.path.join(self.dir, "pki"))
        if tls_lines is None:
            tls_lines = "tlscertfile={cert}\ntlsprivatekey={key}\n"
        tls_lines = tls_lines.format(tls_port=self.tls_port, **self.pki)
        with open(os.path.join(self.etc, "http.conf"), "w") as f:
            f.write("[general]\nservername=Asterisk\nenabled=yes\nbindaddr=127.0.0.1\nbindport=%d\n"
                    "tlsenable=yes\ntlsbindaddr=127.0.0.1:%d\n%s%s" % (self.port, self.tls_port, tls_lines, http_extra))
        if astkeydir:
            with open(self.conf, "a") as f:
                f.write("astkeydir => %s\n" % astkeydir)
        self.tls_base = "https://localhost:%d/ari" % self.tls_port

    def https(self, method, path, body=None, **kw):
        """curl over HTTPS, verifying the certificate against the test CA."""
        kw.setdefault("extra", [])
        kw["extra"] = ["--cacert", self.pki["ca"]] + kw["extra"]
        return self.curl(method, path, body=body, url=self.tls_base + path, **kw)


def require_openssl(test):
    return unittest.skipUnless(OPENSSL, "the openssl command is needed to make test certificates")(test)


def recv_all(sock, timeout):
    """Reads until EOF or timeout; returns (data, closed)."""
    sock.settimeout(timeout)
    data = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return data, True
            data += chunk
    except socket.timeout:
        return data, False
    except ConnectionResetError:
        return data, True


@require_openssl
class HttpsWalkthrough(unittest.TestCase):
    """The seed walkthrough's pushes, reads and deletes over HTTPS, answered as over HTTP."""

    @classmethod
    def setUpClass(cls):
        cls.d = TlsDaemon().start()

    @classmethod
    def tearDownClass(cls):
        cls.d.cleanup()

    def test_walkthrough_over_https(self):
        d, dyn = self.d, walkthrough.DYN
        for obj, body, cap in (("auth", walkthrough.AUTH, "08-put-auth-alice"),
                               ("aor", walkthrough.AOR, "09-put-aor-alice"),
                               ("endpoint", walkthrough.ENDPOINT, "10-put-endpoint-alice")):
            r = d.https("PUT", dyn + obj + "/alice", body=body)
            self.assertEqual((r.status, r.reason), (200, "OK"), obj)
            self.assertEqual(r.header("Content-type"), "application/json")
            self.assertEqual(r.header("Server"), "Asterisk")
            self.assertEqual(r.body, harness.captured_response(cap).body, obj)

        self.assertEqual(d.https("GET", dyn + "auth/alice").body, harness.captured_response("11-get-auth-alice").body)
        self.assertEqual(d.https("GET", dyn + "aor/alice").body, harness.captured_response("12-get-aor-alice").body)
        f = d.https("GET", dyn + "endpoint/alice").fields()
        self.assertEqual(f["allow"], "(g722|ulaw|alaw)")
        self.assertEqual((f["ice_support"], f["rtp_symmetric"], f["from_user"]), ("true", "true", "alice"))

        # Plain HTTP beside it sees the same objects, byte for byte.
        for obj in ("auth", "aor", "endpoint"):
            self.assertEqual(d.get(dyn + obj + "/alice").body, d.https("GET", dyn + obj + "/alice").body)
        self.assertIn("3 results found.", d.cli("database show"))

        # Errors are the same over HTTPS: no credentials, unknown object.
        r = d.https("GET", dyn + "auth/alice", user=None)
        self.assertEqual(r.status, 401)
        self.assertEqual(r.header("WWW-Authenticate"), 'Basic realm="Asterisk REST Interface"')

        for obj in ("endpoint", "aor", "auth"):
            r = d.https("DELETE", dyn + obj + "/alice")
            self.assertEqual((r.status, r.reason, r.body), (204, "No Content", ""))
            self.assertIsNone(r.header("Content-type"))
            self.assertEqual(r.header("Content-Length"), "0")
        self.assertEqual(d.cli("database show"), "0 results found.\n")
        r = d.https("GET", dyn + "endpoint/alice")
        self.assertEqual((r.status, r.json()), (404, {"message": "Object with id 'alice' not found"}))
        r = d.get(dyn + "endpoint/alice")
        self.assertEqual((r.status, r.json()), (404, {"message": "Object with id 'alice' not found"}))

    def test_keep_alive_over_https(self):
        # One curl, two requests: the second reuses the TLS connection.
        url = self.d.tls_base + walkthrough.DYN + "auth/nobody"
        out = subprocess.run(["curl", "-sS", "--cacert", self.d.pki["ca"], "-u", "asterisk:secret", "-o", "/dev/null",
                              "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\n", url, url], capture_output=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.decode().split("\n")[:2], ["404 1", "404 0"])

    def test_certificate_verifies_and_tls10_is_refused(self):
        ctx = ssl.create_default_context(cafile=self.d.pki["ca"])
        with socket.create_connection(("127.0.0.1", self.d.tls_port), timeout=10) as raw:
            with ctx.wrap_socket(raw, server_hostname="localhost") as s:
                self.assertIn(s.version(), ("TLSv1.2", "TLSv1.3"))
                s.sendall(b"GET /ari/asterisk/config/dynamic/res_pjsip/auth/x HTTP/1.1\r\nHost: localhost\r\n"
                          b"Connection: close\r\n\r\n")
                data, closed = recv_all(s, 10)
                self.assertTrue(data.startswith(b"HTTP/1.1 401 Unauthorized\r\n"), data[:100])
        # A client limited to TLSv1.0 is refused (tlsdisablev1 defaults to yes).
        old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        old.check_hostname = False
        old.verify_mode = ssl.CERT_NONE
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                old.minimum_version = old.maximum_version = ssl.TLSVersion.TLSv1
            old.set_ciphers("ALL:@SECLEVEL=0")
        except (ValueError, ssl.SSLError):
            self.skipTest("this Python/OpenSSL cannot offer TLSv1.0")
        with socket.create_connection(("127.0.0.1", self.d.tls_port), timeout=10) as raw:
            with self.assertRaises((ssl.SSLError, ConnectionResetError)):
                old.wrap_socket(raw).close()
        self.assertEqual(self.d.get(walkthrough.DYN + "auth/x").status, 404)  # still serving


@require_openssl
class WrongProtocol(unittest.TestCase):
    """Clients that don't speak TLS to the TLS port are closed; the daemon keeps serving."""

    @classmethod
    def setUpClass(cls):
        cls.d = TlsDaemon(http_extra="session_inactivity=700\n").start()

    @classmethod
    def tearDownClass(cls):
        cls.d.cleanup()

    def assert_still_serving(self):
        self.assertEqual(self.d.https("GET", walkthrough.DYN + "auth/x").status, 404)
        self.assertEqual(self.d.get(walkthrough.DYN + "auth/x").status, 404)
        self.assertIsNone(self.d.proc.poll())

    def test_plain_http_to_tls_port_is_closed(self):
        with socket.create_connection(("127.0.0.1", self.d.tls_port), timeout=5) as s:
            s.sendall(b"GET /ari/asterisk/config/dynamic/res_pjsip/auth/x HTTP/1.1\r\nHost: localhost\r\n"
                      b"Authorization: Basic YXN0ZXJpc2s6c2VjcmV0\r\n\r\n")
            data, closed = recv_all(s, 5)
            self.assertTrue(closed, "the TLS port must close a plain-HTTP client")
            self.assertNotIn(b"HTTP/1.1", data)
        # curl speaking http:// to the TLS port gets no HTTP answer either.
        out = subprocess.run(["curl", "-sS", "--max-time", "10", "-u", "asterisk:secret",
                              "http://127.0.0.1:%d/ari/asterisk/config/dynamic/res_pjsip/auth/x" % self.d.tls_port],
                             capture_output=True, timeout=30)
        self.assertNotEqual(out.returncode, 0)
        self.assertNotIn(b"HTTP/1.1", out.stdout)
        self.assert_still_serving()

    def test_garbage_and_silence_on_tls_port(self):
        with socket.create_connection(("127.0.0.1", self.d.tls_port), timeout=5) as s:
            s.sendall(b"\x16\x03\x01\x00\x05garbage-that-is-no-client-hello" * 10)
            data, closed = recv_all(s, 5)
            self.assertTrue(closed)
        # A client that never starts the handshake is closed after session_inactivity (700 ms).
        with socket.create_connection(("127.0.0.1", self.d.tls_port), timeout=5) as s:
            start = time.time()
            data, closed = recv_all(s, 5)
            self.assertTrue(closed, "a silent client must be closed by the handshake timeout")
            self.assertLess(time.time() - start, 4)
            self.assertEqual(data, b"")
        # A half-finished handshake does not hold an I/O thread: others are served meanwhile.
        stalled = [socket.create_connection(("127.0.0.1", self.d.tls_port), timeout=5) for _ in range(4)]
        try:
            self.assert_still_serving()
        finally:
            for s in stalled:
                s.close()
        self.assert_still_serving()

    def test_https_to_plain_port_fails_cleanly(self):
        # The reverse mistake: a TLS ClientHello on the plain port is not HTTP.
        out = subprocess.run(["curl", "-sS", "--max-time", "10", "--cacert", self.d.pki["ca"],
                              "https://localhost:%d/ari/asterisk/config/dynamic/res_pjsip/auth/x" % self.d.port],
                             capture_output=True, timeout=30)
        self.assertNotEqual(out.returncode, 0)
        self.assert_still_serving()


@require_openssl
class CertificateOptions(unittest.TestCase):
    def start_failing(self, tls_lines):
        d = TlsDaemon(tls_lines=tls_lines)
        try:
            d.start(expect_ready=False)
            self.assertEqual(d.wait_exit(timeout=15), 1)
            for port in (d.port, d.tls_port):
                with socket.socket() as s:
                    s.settimeout(0.3)
                    self.assertNotEqual(s.connect_ex(("127.0.0.1", port)), 0, "nothing may listen")
            return d, d.read_log()
        finally:
            d.cleanup()

    def test_missing_certificate_file(self):
        d, log = self.start_failing("tlscertfile=/nonexistent/dir/server.pem\ntlsprivatekey={key}\n")
        self.assertIn("'/nonexistent/dir/server.pem' (tlscertfile): No such file or directory", log)
        self.assertIn("sorceryd not started", log)

    def test_missing_key_file(self):
        d, log = self.start_failing("tlscertfile={cert}\ntlsprivatekey=/nonexistent/server.key\n")
        self.assertIn("'/nonexistent/server.key' (tlsprivatekey)", log)

    def test_unparsable_certificate(self):
        d, log = self.start_failing("tlscertfile={junk}\ntlsprivatekey={key}\n")
        self.assertRegex(log, r"'.*junk\.pem' \(tlscertfile\) has no usable PEM certificate")

    def test_key_not_matching_certificate(self):
        d, log = self.start_failing("tlscertfile={cert}\ntlsprivatekey={ca_key}\n")
        self.assertRegex(log, r"TLS private key '.*ca\.key' does not match the certificate in '.*server\.pem'")

    def test_certificate_without_key_and_no_tlsprivatekey(self):
        d, log = self.start_failing("tlscertfile={cert}\n")
        self.assertRegex(log, r"'.*server\.pem' \(tlscertfile\) holds no usable private key")

    def test_bad_cipher_list(self):
        d, log = self.start_failing("tlscertfile={combined}\ntlscipher=NO-SUCH-CIPHER\n")
        self.assertIn("'NO-SUCH-CIPHER' (tlscipher)", log)

    def test_bad_tlsbindaddr(self):
        d, log = self.start_failing("tlscertfile={combined}\ntlsbindaddr=127.0.0.1:notaport\n")
        self.assertRegex(log, r"http\.conf:\d+: tlsbindaddr '127\.0\.0\.1:notaport'")

    def test_aliases_and_combined_pem(self):
        # Asterisk's old names; key searched in the certificate file.
        d = TlsDaemon(tls_lines="sslcert={combined}\nsslcipher=ECDHE-ECDSA-AES128-GCM-SHA256\n")
        try:
            d.start()
            self.assertEqual(d.https("GET", walkthrough.DYN + "auth/x", extra=["--tls-max", "1.2"]).status, 404)
        finally:
            d.cleanup()

    def test_default_certificate_in_astkeydir(self):
        keydir = None
        d = TlsDaemon(tls_lines="")
        try:
            keydir = os.path.join(d.dir, "keys")
            os.makedirs(keydir)
            shutil.copy(d.pki["combined"], os.path.join(keydir, "asterisk.pem"))
            with open(d.conf, "a") as f:
                f.write("astkeydir => %s\n" % keydir)
            d.start()
            self.assertEqual(d.https("GET", walkthrough.DYN + "auth/x").status, 404)
        finally:
            d.cleanup()

    def test_default_certificate_missing_names_astkeydir_file(self):
        d = TlsDaemon(tls_lines="")
        try:
            keydir = os.path.join(d.dir, "keys")
            with open(d.conf, "a") as f:
                f.write("astkeydir => %s\n" % keydir)
            d.start(expect_ready=False)
            self.assertEqual(d.wait_exit(timeout=15), 1)
            self.assertIn("'%s/asterisk.pem' (tlscertfile)" % keydir, d.read_log())
        finally:
            d.cleanup()

    def test_tlsenable_no_means_no_tls_listener(self):
        d = TlsDaemon(tls_lines="tlscertfile=/nonexistent.pem\ntlsenable=no\n")
        try:
            d.start()
            with socket.socket() as s:
                s.settimeout(0.3)
                self.assertNotEqual(s.connect_ex(("127.0.0.1", d.tls_port)), 0)
            self.assertEqual(d.get(walkthrough.DYN + "auth/x").status, 404)
        finally:
            d.cleanup()


if __name__ == "__main__":
    harness.main()
