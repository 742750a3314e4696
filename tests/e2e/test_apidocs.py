"""/ari/api-docs: the swagger 1.1 resource listing and API declarations, checked against a real
Asterisk 23's answers (captures 04 and 05) for everything a client relies on: paths, nicknames,
parameters, response classes and models."""
import json
import socket
import unittest

import harness

RESOURCES = ["asterisk", "endpoints", "channels", "bridges", "recordings", "sounds", "playbacks",
             "deviceStates", "mailboxes", "events", "applications"]
IMPLEMENTED = {"getObject", "updateObject", "deleteObject", "getInfo", "ping"}


def operations(declaration):
    out = {}
    for api in declaration["apis"]:
        for op in api["operations"]:
            out[op["nickname"]] = (api["path"], op)
    return out


class ApiDocs(harness.DaemonTestCase):
    def doc(self, name, **kw):
        r = self.d.get("/api-docs/" + name, **kw)
        self.assertEqual((r.status, r.reason), (200, "OK"), r.body)
        self.assertEqual(r.header("Content-type"), "application/json")
        return r.json()

    def test_resource_listing_as_asterisk(self):
        ours = self.doc("resources.json")
        theirs = harness.captured_response("04-apidocs-resources").json()
        self.assertEqual(ours["swaggerVersion"], "1.1")
        self.assertEqual(ours["apiVersion"], theirs["apiVersion"])
        self.assertEqual(ours["basePath"], "http://127.0.0.1:%d/ari" % self.d.port)
        self.assertEqual([a["path"] for a in ours["apis"]], [a["path"] for a in theirs["apis"]])
        self.assertEqual([a["path"] for a in ours["apis"]], ["/api-docs/%s.{format}" % n for n in RESOURCES])
        for a in ours["apis"]:
            self.assertTrue(a["description"])

    def test_every_declaration_is_served_and_well_formed(self):
        for name in RESOURCES:
            d = self.doc(name + ".json")
            self.assertEqual(d["swaggerVersion"], "1.1", name)
            self.assertEqual(d["apiVersion"], "2.0.0", name)
            self.assertEqual(d["resourcePath"], "/api-docs/%s.{format}" % name)
            self.assertEqual(d["basePath"], "http://127.0.0.1:%d/ari" % self.d.port)
            self.assertIsInstance(d["apis"], list)
            self.assertIsInstance(d["models"], dict)
            for api in d["apis"]:
                for op in api["operations"]:
                    self.assertIn(op["nickname"], IMPLEMENTED, "declared but not served: " + op["nickname"])

    def test_asterisk_operations_match_asterisk(self):
        ours = operations(self.doc("asterisk.json"))
        theirs = operations(harness.captured_response("05-apidocs-asterisk").json())
        self.assertEqual(set(ours), IMPLEMENTED)
        for nick in IMPLEMENTED:
            (path, op), (tpath, top) = ours[nick], theirs[nick]
            self.assertEqual(path, tpath, nick)
            for key in ("httpMethod", "responseClass", "since"):
                self.assertEqual(op[key], top[key], nick + " " + key)
            strip = lambda params: [{k: v for k, v in p.items() if k != "description"} for p in params]
            self.assertEqual(strip(op.get("parameters", [])), strip(top.get("parameters", [])), nick)
            self.assertEqual([e["code"] for e in op.get("errorResponses", [])
                              if not (nick == "getInfo" and e["code"] == 400)],
                             [e["code"] for e in top.get("errorResponses", [])], nick)

    def test_asterisk_models_match_asterisk(self):
        ours = self.doc("asterisk.json")["models"]
        theirs = harness.captured_response("05-apidocs-asterisk").json()["models"]
        for model in ("ConfigTuple", "AsteriskInfo", "BuildInfo", "SystemInfo", "SetId", "ConfigInfo", "StatusInfo",
                      "AsteriskPing"):
            self.assertEqual(ours[model]["id"], model)
            strip = lambda props: {k: {"type": v["type"], "required": v["required"]} for k, v in props.items()}
            self.assertEqual(strip(ours[model]["properties"]), strip(theirs[model]["properties"]), model)

    def test_base_path_follows_host_header(self):
        d = self.doc("asterisk.json", extra=["-H", "Host: pbx.example.com:9999"])
        self.assertEqual(d["basePath"], "http://pbx.example.com:9999/ari")

    def test_base_path_removed_without_host(self):
        with socket.create_connection(("127.0.0.1", self.d.port), timeout=10) as s:
            s.sendall(b"GET /ari/api-docs/resources.json HTTP/1.0\r\n"
                      b"Authorization: Basic YXN0ZXJpc2s6c2VjcmV0\r\n\r\n")
            raw = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                raw += chunk
        r = harness.parse_response(raw)
        self.assertEqual(r.status, 200)
        self.assertNotIn("basePath", r.json())
        self.assertEqual(r.json()["swaggerVersion"], "1.1")

    def test_authentication_required(self):
        r = self.d.get("/api-docs/resources.json", user=None)
        self.assertEqual((r.status, r.json()), (401, {"message": "Authentication required"}))
        r = self.d.get("/api-docs/resources.json", user="asterisk:wrong")
        self.assertEqual(r.status, 401)
        # read-only users may read the documents
        self.assertEqual(self.d.get("/api-docs/resources.json", user="reader:secret").status, 200)

    def test_path_traversal_and_unknown_documents(self):
        for path in ("/api-docs/../resources.json", "/api-docs/..%2Fresources.json", "/api-docs/%2e%2e/ari.conf",
                     "/api-docs/../../../../etc/passwd", "/api-docs/nosuch.json", "/api-docs/api-docs/asterisk.json",
                     "/api-docs/asterisk.{format}", "/api-docs/ASTERISK.json"):
            r = self.d.get(path, extra=["--path-as-is"])
            self.assertEqual((r.status, r.reason), (404, "Not Found"), path)
            self.assertEqual(r.json(), {"message": "Resource not found"}, path)
        r = self.d.get("/api-docs/asterisk.json/")
        self.assertEqual(r.status, 404)
        self.assertEqual(r.json(), {"message": "ARI URLs do not end with a slash. Try /ari/api-docs/asterisk.json"})

    def test_other_methods_refused(self):
        for method in ("PUT", "POST", "DELETE", "OPTIONS"):
            r = self.d.curl(method, "/api-docs/resources.json")
            self.assertEqual((r.status, r.reason), (405, "Method Not Allowed"), method)
            self.assertEqual(r.json(), {"message": "Unsupported method"})
        # a read-only user is refused writes before the documents are looked at
        r = self.d.curl("PUT", "/api-docs/resources.json", user="reader:secret")
        self.assertEqual((r.status, r.json()), (403, {"message": "Write access denied"}))

    def test_compact_output(self):
        r = self.d.get("/api-docs/resources.json")
        self.assertEqual(r.body, json.dumps(r.json(), separators=(",", ":"), ensure_ascii=False))


class ApiDocsPretty(harness.DaemonTestCase):
    CONFIG = {"ari.conf": harness.DEFAULT_CONFIG["ari.conf"].replace("pretty = no", "pretty = yes")}

    def test_pretty_layout(self):
        for name in ["resources"] + RESOURCES:
            r = self.d.get("/api-docs/%s.json" % name)
            self.assertEqual(r.status, 200)
            self.assertEqual(r.body, json.dumps(r.json(), indent=2, ensure_ascii=False), name)
            self.assertIn('\n  "basePath": "http://127.0.0.1:%d/ari",\n' % self.d.port, r.body)


class ApiDocsPrefix(unittest.TestCase):
    def test_base_path_carries_http_prefix(self):
        d = harness.Daemon()
        with open(d.etc + "/http.conf", "a") as f:
            f.write("prefix = /asterisk/\n")
        d.start()
        try:
            r = d.curl("GET", "", url="http://127.0.0.1:%d/asterisk/ari/api-docs/resources.json" % d.port)
            self.assertEqual(r.status, 200)
            self.assertEqual(r.json()["basePath"], "http://127.0.0.1:%d/asterisk/ari" % d.port)
        finally:
            d.cleanup()


if __name__ == "__main__":
    harness.main()
