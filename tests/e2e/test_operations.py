"""Operations: `cmake --install` into a prefix yields the daemon, the systemd unit and the sample
configuration; the installed daemon runs on the installed sample configuration; every command-line
flag does what `-h` says."""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

import harness

FLAGS = ("-C", "-f", "-F", "-r", "-x", "-rx", "-v", "-q", "-V", "-h", "-c")
SAMPLES = ("asterisk.conf", "http.conf", "ari.conf", "sorcery.conf", "pjsip.conf")


def build_dir():
    """The CMake build tree that produced the binary under test."""
    d = os.path.dirname(os.path.abspath(harness.BIN))
    while d != os.path.dirname(d):
        if os.path.exists(os.path.join(d, "CMakeCache.txt")):
            return d
        d = os.path.dirname(d)
    return None


def project_version():
    with open(os.path.join(harness.SOURCE_DIR, "CMakeLists.txt")) as f:
        return re.search(r"project\(sorceryd VERSION ([0-9.]+)", f.read()).group(1)


def run(args, **kw):
    return subprocess.run(args, capture_output=True, timeout=30, **kw)


def wait_for(predicate, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3):
            return True
    except OSError:
        return False


class Install(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.build = build_dir()
        if cls.build is None:
            raise unittest.SkipTest("no CMake build tree above " + harness.BIN)
        cls.prefix = tempfile.mkdtemp(prefix="sorceryd-install-")
        out = run(["cmake", "--install", cls.build, "--prefix", cls.prefix])
        if out.returncode != 0:
            raise RuntimeError("cmake --install failed:\n" + out.stdout.decode() + out.stderr.decode())

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "prefix", None):
            shutil.rmtree(cls.prefix, ignore_errors=True)

    def path(self, *parts):
        return os.path.join(self.prefix, *parts)

    def test_installed_files(self):
        self.assertTrue(os.access(self.path("sbin", "sorceryd"), os.X_OK))
        for name in SAMPLES:
            self.assertTrue(os.path.isfile(self.path("share", "sorceryd", "configs", name)), name)
        self.assertTrue(os.path.isfile(self.path("lib", "systemd", "system", "sorceryd.service")))
        self.assertTrue(os.path.isfile(self.path("lib", "sysusers.d", "sorceryd.conf")))
        self.assertTrue(os.path.isfile(self.path("share", "doc", "sorceryd", "operations.md")))

    def test_unit_file(self):
        with open(self.path("lib", "systemd", "system", "sorceryd.service")) as f:
            unit = f.read()
        lines = set(unit.splitlines())
        self.assertIn("ExecStart=%s -f -C /etc/asterisk/asterisk.conf" % self.path("sbin", "sorceryd"), lines)
        for line in ("Restart=on-failure", "NoNewPrivileges=yes", "RuntimeDirectory=sorceryd",
                     "StateDirectory=sorceryd", "ProtectSystem=strict", "ExecReload=/bin/kill -HUP $MAINPID",
                     "User=sorceryd", "WantedBy=multi-user.target"):
            self.assertIn(line, lines)
        rw = [l for l in lines if l.startswith("ReadWritePaths=")]
        self.assertEqual(len(rw), 1)
        for d in ("/var/lib/sorceryd", "/run/sorceryd"):
            self.assertIn(d, rw[0].split("=", 1)[1].split())
        # The sample asterisk.conf points at the unit's directories.
        with open(self.path("share", "sorceryd", "configs", "asterisk.conf")) as f:
            sample = f.read()
        self.assertRegex(sample, r"astdbdir => /var/lib/sorceryd")
        self.assertRegex(sample, r"astrundir => /run/sorceryd")
        analyze = shutil.which("systemd-analyze")
        if analyze:
            out = run([analyze, "verify", self.path("lib", "systemd", "system", "sorceryd.service")])
            self.assertEqual(out.returncode, 0, out.stderr.decode())

    def test_unit_lets_the_daemon_make_its_scheduling_calls(self):
        # The applier lowers its priority (setpriority) and the request threads ask for short
        # time slices (sched_setattr). A syscall filter that denies them would kill the daemon
        # at start (SIGSYS) unless SystemCallErrorNumber= turns denials into errors.
        analyze = shutil.which("systemd-analyze")
        if not analyze:
            self.skipTest("systemd-analyze is not installed: cannot expand the unit's syscall groups")
        with open(self.path("lib", "systemd", "system", "sorceryd.service")) as f:
            lines = [l.strip() for l in f if l.strip().startswith(("SystemCallFilter=", "SystemCallErrorNumber="))]
        self.assertIn("SystemCallErrorNumber=EPERM", lines)

        def expand(names, seen=None):
            seen = set() if seen is None else seen
            calls = set()
            for name in names:
                if not name.startswith("@"):
                    calls.add(name)
                    continue
                if name in seen:
                    continue
                seen.add(name)
                out = run([analyze, "syscall-filter", "--no-pager", name])
                self.assertEqual(out.returncode, 0, out.stderr.decode())
                members = [l.strip() for l in out.stdout.decode().splitlines()[1:] if l.startswith(" ")]
                calls |= expand([m for m in members if not m.startswith("#")], seen)
            return calls

        allowed, denied = set(), set()
        for line in lines:
            if not line.startswith("SystemCallFilter="):
                continue
            value = line.split("=", 1)[1]
            if value.startswith("~"):
                denied |= expand(value[1:].split())
            else:
                allowed |= expand(value.split())
        for call in ("setpriority", "sched_setattr", "sched_getattr"):
            self.assertIn(call, allowed)
            self.assertNotIn(call, denied)

    def test_installed_binary_runs_on_sample_config(self):
        work = tempfile.mkdtemp(prefix="sorceryd-sample-")
        proc = None
        try:
            etc = os.path.join(work, "etc")
            shutil.copytree(self.path("share", "sorceryd", "configs"), etc)
            port = harness.free_port()
            # Adjust the sample to temporary directories and a free port, and add the ARI user
            # the sample leaves commented out.
            with open(os.path.join(etc, "asterisk.conf")) as f:
                text = f.read()
            text = text.replace("/etc/asterisk", etc).replace("/var/lib/sorceryd", os.path.join(work, "db"))
            text = text.replace("/run/sorceryd", os.path.join(work, "run"))
            text = text.replace("/var/log/sorceryd", os.path.join(work, "log"))
            with open(os.path.join(etc, "asterisk.conf"), "w") as f:
                f.write(text)
            with open(os.path.join(etc, "http.conf")) as f:
                text = f.read()
            self.assertIn("bindport = 8088", text)
            with open(os.path.join(etc, "http.conf"), "w") as f:
                f.write(text.replace("bindport = 8088", "bindport = %d" % port))
            with open(os.path.join(etc, "pjsip.conf")) as f:
                text = f.read()
            with open(os.path.join(etc, "pjsip.conf"), "w") as f:
                f.write(text.replace("0.0.0.0:5060", "127.0.0.1:%d" % harness.free_port()))
            with open(os.path.join(etc, "ari.conf"), "a") as f:
                f.write("\n[ops]\ntype = user\npassword = opsecret\npassword_format = plain\n")
            conf = os.path.join(etc, "asterisk.conf")
            binary = self.path("sbin", "sorceryd")
            log = open(os.path.join(work, "log.txt"), "wb")
            proc = subprocess.Popen([binary, "-f", "-C", conf], stdout=log, stderr=subprocess.STDOUT)
            self.assertTrue(wait_for(lambda: port_open(port) or proc.poll() is not None))
            self.assertIsNone(proc.poll())
            base = "http://127.0.0.1:%d/ari/asterisk/config/dynamic/res_pjsip" % port
            d = harness.Daemon.__new__(harness.Daemon)  # only for its curl helper
            d.base = base
            r = d.curl("PUT", "", body='{"fields":[{"attribute":"max_contacts","value":"2"}]}', user="ops:opsecret",
                       url=base + "/aor/a1")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(d.curl("GET", "", user="ops:opsecret", url=base + "/aor/a1").fields()["max_contacts"], "2")
            self.assertEqual(d.curl("GET", "", user="ops:wrong", url=base + "/aor/a1").status, 401)
            out = run([binary, "-C", conf, "-rx", "database show ps_aors"]).stdout.decode()
            self.assertIn("/ps_aors/aor/a1", out)
            self.assertEqual(run([binary, "-C", conf, "-rx", "core reload"]).stdout.decode(),
                             "Module 'http' reloaded\nModule 'res_ari' reloaded\nModule 'res_pjsip' reloaded\n")
            self.assertTrue(os.path.isfile(os.path.join(work, "db", "astdb.sqlite3")))
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(timeout=15), 0)
            proc = None
        finally:
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
            shutil.rmtree(work, ignore_errors=True)


class Flags(unittest.TestCase):
    def test_help_lists_every_flag(self):
        out = run([harness.BIN, "-h"])
        self.assertEqual(out.returncode, 0)
        text = out.stdout.decode()
        for flag in FLAGS:
            self.assertRegex(text, r"(?m)^  %s[ ,]" % re.escape(flag), flag)
        self.assertEqual(run([harness.BIN, "--help"]).stdout.decode(), text)

    def test_version(self):
        out = run([harness.BIN, "-V"])
        self.assertEqual(out.returncode, 0)
        self.assertEqual(out.stdout.decode(), "sorceryd %s\n" % project_version())

    def test_bad_usage(self):
        for args, message in ((["-Z"], b"unknown option '-Z'"), (["-C"], b"-C needs an argument"),
                              (["-rx"], b"-x needs an argument"), (["-r"], b"-r needs -x"),
                              (["-xr", "core show version"], b"-x needs an argument")):
            out = run([harness.BIN] + args)
            self.assertEqual(out.returncode, 2, args)
            self.assertIn(message, out.stderr, args)

    def test_quiet_and_verbose_and_c(self):
        d = harness.Daemon()
        try:
            d.proc = None
            for flags, present, absent in ((["-q", "-f"], "NOTICE: ", "VERBOSE: "),
                                           (["-c", "-v"], "DEBUG: res_pjsip/endpoint -> astdb,ps_endpoints", None),
                                           (["-fv"], "DEBUG: console: core show version", None)):
                open(d.log_path, "wb").close()
                log = open(d.log_path, "ab")
                d.proc = subprocess.Popen([harness.BIN] + flags + ["-C", d.conf], stdout=log, stderr=subprocess.STDOUT)
                self.assertTrue(wait_for(lambda: port_open(d.port)), d.read_log())
                self.assertTrue(wait_for(lambda: os.path.exists(os.path.join(d.dir, "run", "sorceryd.ctl"))))
                # -x alone (without -r) also reaches the daemon.
                out = run([harness.BIN, "-C", d.conf, "-x", "core show version"])
                self.assertTrue(out.stdout.decode().startswith("sorceryd "), out)
                self.assertEqual(d.stop(), 0)
                text = d.read_log()
                self.assertIn(present, text, flags)
                if absent:
                    self.assertNotIn(absent, text, flags)
        finally:
            d.cleanup()

    def test_background_with_F(self):
        d = harness.Daemon()
        pid = None
        try:
            logdir = os.path.join(d.dir, "log")
            with open(d.conf, "a") as f:
                f.write("astlogdir => %s\n" % logdir)
            # -f then -F: the last one wins and the daemon forks; the parent returns at once.
            out = run([harness.BIN, "-f", "-F", "-C", d.conf])
            self.assertEqual(out.returncode, 0, out.stderr)
            pidfile = os.path.join(d.dir, "run", "sorceryd.pid")
            self.assertTrue(wait_for(lambda: port_open(d.port) and os.path.exists(pidfile)))
            with open(pidfile) as f:
                pid = int(f.read())
            out = run([harness.BIN, "-C", d.conf, "-rx", "core show help"]).stdout.decode()
            self.assertIn("core show version", out)
            os.kill(pid, signal.SIGHUP)
            logfile = os.path.join(logdir, "sorceryd.log")
            self.assertTrue(wait_for(lambda: "Reloaded res_pjsip" in open(logfile).read()))
            os.kill(pid, signal.SIGTERM)
            self.assertTrue(wait_for(lambda: not os.path.exists("/proc/%d" % pid) or
                                     open("/proc/%d/stat" % pid).read().split()[2] == "Z"))
            pid = None
            text = open(logfile).read()
            self.assertRegex(text, r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] NOTICE: sorceryd \S+ ready")
            self.assertIn("NOTICE: sorceryd stopped", text)
            self.assertFalse(os.path.exists(pidfile))
        finally:
            if pid is not None:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            d.cleanup()


if __name__ == "__main__":
    harness.main()
