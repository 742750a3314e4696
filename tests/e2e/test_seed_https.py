"""The seed walkthrough's own curl command lines (shared/seed/ari-push-configuration.txt, the
`$ curl ...` lines), run through the shell exactly as written against a daemon with HTTPS.

Only two things differ from a reader's terminal, and neither touches the command line:
- https://localhost:8088 is the daemon's TLS listener when 127.0.0.1:8088 is free; otherwise the
  port in the URL is replaced by the test listener's port.
- CURL_CA_BUNDLE names the test CA (so curl verifies the certificate, no -k), and CURL_HOME holds
  a .curlrc adding `--write-out` (to see the status code the walkthrough implies) and a time limit.
"""
import json
import os
import re
import subprocess
import unittest

import harness
import test_tls

SEED = os.path.abspath(os.path.join(harness.SPEC_DIR, "..", "seed", "ari-push-configuration.txt"))
STATUS_MARK = "\n@@status="


def seed_commands():
    """[(command line, the output line shown after it or None)] in walkthrough order."""
    with open(SEED) as f:
        lines = f.read().split("\n")
    out = []
    for i, line in enumerate(lines):
        if line.startswith("$ curl "):
            shown = None
            for follow in lines[i + 1:i + 4]:
                if follow.startswith("["):
                    shown = follow
                    break
                if follow.startswith("$ "):
                    break
            out.append((line[2:], shown))
    return out


@test_tls.require_openssl
class SeedCurlOverHttps(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = None
        if test_tls.port_free(8088):
            d = test_tls.TlsDaemon(tls_port=8088)
            try:
                cls.d = d.start()
            except RuntimeError:  # taken meanwhile
                d.cleanup()
        if cls.d is None:
            cls.d = test_tls.TlsDaemon().start()
        cls.curl_home = os.path.join(cls.d.dir, "curl-home")
        os.makedirs(cls.curl_home)
        with open(os.path.join(cls.curl_home, ".curlrc"), "w") as f:
            f.write('write-out = "%s%%{http_code}"\nmax-time = 20\n' % STATUS_MARK.replace("\n", "\\n"))

    @classmethod
    def tearDownClass(cls):
        cls.d.cleanup()

    def run_seed_line(self, command):
        if self.d.tls_port != 8088:
            command = command.replace("https://localhost:8088/", "https://localhost:%d/" % self.d.tls_port)
        env = dict(os.environ, CURL_CA_BUNDLE=self.d.pki["ca"], CURL_HOME=self.curl_home, HOME=self.curl_home)
        env.pop("SSL_CERT_FILE", None)
        env.pop("SSL_CERT_DIR", None)
        out = subprocess.run(["bash", "-c", command], capture_output=True, timeout=60, env=env)
        self.assertEqual(out.returncode, 0, "%s\n%s" % (command, out.stderr.decode(errors="replace")))
        body, _, status = out.stdout.decode().rpartition(STATUS_MARK)
        return int(status), body

    def test_seed_commands_as_written(self):
        commands = seed_commands()
        # Three PUTs (auth, aor, endpoint), then three DELETEs in reverse order.
        self.assertEqual([re.search(r"-X (\w+)", c).group(1) for c, _ in commands], ["PUT"] * 3 + ["DELETE"] * 3)
        for command, _ in commands:
            self.assertIn("https://localhost:8088/ari/asterisk/config/dynamic/res_pjsip/", command)
            self.assertNotIn(" -k", command)

        captures = ["08-put-auth-alice", "09-put-aor-alice", "10-put-endpoint-alice"]
        for command, shown in commands[:3]:
            status, body = self.run_seed_line(command)
            self.assertEqual(status, 200, command)
            self.assertEqual(body, harness.captured_response(captures.pop(0)).body, command)
            # Every attribute the command set reads back as the walkthrough shows it.
            sent = json.loads(re.search(r"-d '([^']*)'", command).group(1))["fields"]
            ours = {e["attribute"]: e["value"] for e in json.loads(body)}
            theirs = {e["attribute"]: e["value"] for e in json.loads(shown)}
            for field in sent:
                self.assertEqual(ours[field["attribute"]], theirs[field["attribute"]], field)
        self.assertIn("3 results found.", self.d.cli("database show"))
        self.assertIn(" Endpoint:  alice", self.d.cli("pjsip show endpoints"))

        for command, _ in commands[3:]:
            status, body = self.run_seed_line(command)
            self.assertEqual((status, body), (204, ""), command)
        self.assertEqual(self.d.cli("pjsip show endpoints"), "No objects found.\n\n")
        self.assertEqual(self.d.cli("database show"), "0 results found.\n")

        # Run again, the deletes now find nothing: 404 with Asterisk's message.
        status, body = self.run_seed_line(commands[3][0])
        self.assertEqual((status, json.loads(body)), (404, {"message": "Object with id 'alice' not found"}))


if __name__ == "__main__":
    harness.main()
