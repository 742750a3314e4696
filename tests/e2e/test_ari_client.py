"""The npm ari-client 2.2.0 (tests/e2e/ari_client, pinned by package-lock.json) connects to the
real daemon through /ari/api-docs and runs the push-configuration walkthrough with
client.asterisk.updateObject/getObject/deleteObject (ari_client/walkthrough.js).

`npm ci` runs when node_modules is missing; if the registry cannot be reached the test FAILS
(it never skips)."""
import os
import shutil
import subprocess
import unittest

import harness

CLIENT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ari_client")


def ensure_node_modules():
    if os.path.isdir(os.path.join(CLIENT_DIR, "node_modules", "ari-client")):
        return
    npm = shutil.which("npm")
    if not npm:
        raise RuntimeError("npm is not installed: cannot install ari-client for this test")
    out = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=CLIENT_DIR, capture_output=True, timeout=300)
    if out.returncode != 0:
        raise RuntimeError("npm ci failed (is the npm registry reachable?):\n" +
                           out.stdout.decode(errors="replace") + out.stderr.decode(errors="replace"))


class AriClient(harness.DaemonTestCase):
    @classmethod
    def setUpClass(cls):
        ensure_node_modules()
        super().setUpClass()

    def run_walkthrough(self, base, user="asterisk", password="secret"):
        node = shutil.which("node")
        self.assertIsNotNone(node, "node is not installed")
        return subprocess.run([node, os.path.join(CLIENT_DIR, "walkthrough.js"), base, user, password],
                              cwd=CLIENT_DIR, capture_output=True, timeout=120)

    def test_lock_pins_ari_client_2_2_0(self):
        import json
        with open(os.path.join(CLIENT_DIR, "package-lock.json")) as f:
            lock = json.load(f)
        self.assertEqual(lock["packages"]["node_modules/ari-client"]["version"], "2.2.0")

    def test_walkthrough(self):
        out = self.run_walkthrough("http://127.0.0.1:%d" % self.d.port)
        self.assertEqual(out.returncode, 0, out.stdout.decode() + out.stderr.decode())
        self.assertIn("all checks passed", out.stdout.decode())
        # What the client pushed went through sorcery and was deleted again.
        self.assertNotIn("/ps_endpoints/endpoint/alice", self.d.cli("database show"))

    def test_wrong_password_fails_to_connect(self):
        out = self.run_walkthrough("http://127.0.0.1:%d" % self.d.port, password="wrong")
        self.assertNotEqual(out.returncode, 0)
        # swagger-client (inside ari-client) throws on the 401 of resources.json.
        self.assertIn("401", out.stderr.decode())


if __name__ == "__main__":
    harness.main()
