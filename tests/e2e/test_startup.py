"""Command line and start-up: configuration errors name file and line and nothing starts; SIGTERM
stops cleanly; -rx runs console commands; -h lists the flags."""
import os
import socket
import subprocess
import unittest

import harness


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3):
            return True
    except OSError:
        return False


class BadConfiguration(unittest.TestCase):
    def start_failing(self, config):
        d = harness.Daemon(config)
        try:
            d.start(expect_ready=False)
            code = d.wait_exit(timeout=15)
            self.assertEqual(code, 1)
            self.assertFalse(port_open(d.port), "nothing may listen after a refused start")
            self.assertFalse(os.path.exists(os.path.join(d.dir, "run", "sorceryd.ctl")))
            return d.read_log()
        finally:
            d.cleanup()

    def test_bad_line_in_sorcery_conf(self):
        log = self.start_failing({"sorcery.conf": "[res_pjsip]\nendpoint=astdb,ps_endpoints\nthis line is bad\n"})
        self.assertRegex(log, r"sorcery\.conf:3: ")

    def test_unknown_wizard(self):
        log = self.start_failing({"sorcery.conf": "[res_pjsip]\n\nendpoint=nosuchwizard,x\n"})
        self.assertRegex(log, r"sorcery\.conf:3: unknown wizard 'nosuchwizard' for type 'endpoint'")

    def test_astdb_without_prefix(self):
        log = self.start_failing({"sorcery.conf": "[res_pjsip]\nendpoint=astdb\n"})
        self.assertRegex(log, r"sorcery\.conf:2: wizard 'astdb' for type 'endpoint' refused")

    def test_missing_ari_conf(self):
        log = self.start_failing({"ari.conf": None})
        self.assertIn("ari.conf", log)

    def test_bad_bindport(self):
        log = self.start_failing({"http.conf": "[general]\nenabled=yes\nbindaddr=127.0.0.1\nbindport=99999\n"})
        self.assertRegex(log, r"http\.conf:4: bindport '99999'")

    def test_include_of_missing_file(self):
        log = self.start_failing({"pjsip.conf": None, "sorcery.conf": "[res_pjsip]\n#include nothere.conf\n"})
        self.assertRegex(log, r"sorcery\.conf:2: ")

    def test_missing_asterisk_conf(self):
        out = subprocess.run([harness.BIN, "-f", "-C", "/nonexistent/asterisk.conf"], capture_output=True, timeout=15)
        self.assertEqual(out.returncode, 1)
        self.assertIn(b"/nonexistent/asterisk.conf", out.stderr)


class Running(harness.DaemonTestCase):
    def test_unknown_console_command(self):
        out = self.d.cli("pjsip frobnicate")
        self.assertIn("No such command 'pjsip frobnicate'", out)

    def test_core_show_version(self):
        self.assertTrue(self.d.cli("core show version").startswith("sorceryd "))

    def test_help_lists_flags(self):
        out = subprocess.run([harness.BIN, "-h"], capture_output=True, timeout=15).stdout.decode()
        for flag in ("-C", "-f", "-rx", "-x", "-V", "-h"):
            self.assertIn(flag, out)

    def test_remote_without_daemon(self):
        d = harness.Daemon()
        try:
            out = subprocess.run([harness.BIN, "-C", d.conf, "-rx", "core show version"], capture_output=True, timeout=15)
            self.assertEqual(out.returncode, 1)
            self.assertIn(b"Unable to connect", out.stderr)
        finally:
            d.cleanup()


class IoThreads(unittest.TestCase):
    def threads_with(self, n):
        d = harness.Daemon(http_extra="iothreads=%d\n" % n).start()
        try:
            return len(os.listdir("/proc/%d/task" % d.proc.pid))
        finally:
            d.cleanup()

    def test_iothreads_sets_the_number_of_http_threads(self):
        self.assertEqual(self.threads_with(6) - self.threads_with(3), 3)


class Stop(unittest.TestCase):
    def test_sigterm_stops_cleanly(self):
        d = harness.Daemon().start()
        try:
            r = d.put("/asterisk/config/dynamic/res_pjsip/aor/a1", [("max_contacts", "2")])
            self.assertEqual(r.status, 200)
            self.assertEqual(d.stop(), 0)
            self.assertIn("sorceryd stopped", d.read_log())
            self.assertFalse(port_open(d.port))
            d.start()
            self.assertEqual(d.get("/asterisk/config/dynamic/res_pjsip/aor/a1").fields()["max_contacts"], "2")
        finally:
            d.cleanup()


if __name__ == "__main__":
    harness.main()
