// /ari/api-docs/{name}: the swagger 1.1 documents that ARI clients (ari-client, swagger codegen)
// read to learn the API. The documents are compiled into the binary from rest-api/ (see
// cmake/EmbedRestApi.cmake), parsed and laid out once at start; a request only splices the
// basePath taken from its Host header.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace ari {

struct EmbeddedDocument {
  std::string_view name;   // file name, e.g. "resources.json", "asterisk.json"
  std::string_view bytes;  // the file as written in rest-api/
};

// Every document of rest-api/, flat by file name (generated at build time).
const std::vector<EmbeddedDocument>& RestApiDocuments();

class ApiDocs {
 public:
  // Parses every document and prepares its compact and pretty (JSON_INDENT(2)) layouts.
  // `http_prefix` is http.conf's prefix as "/<prefix>" or "". Fails on a document that is not a
  // JSON object (a build defect).
  static util::Result<ApiDocs> Build(const std::vector<EmbeddedDocument>& documents, std::string http_prefix);

  // The body for document `name` (already percent-decoded), or nullopt when there is none.
  // basePath becomes "http://<host><prefix>/ari"; with no Host header (`host` null) the member
  // is left out, as Asterisk does.
  std::optional<std::string> Render(std::string_view name, const std::string* host, bool pretty) const;

 private:
  struct Layout {
    std::string before, after;  // around the basePath value (quotes included in neither)
    std::string without;        // the document without basePath
    bool has_base_path = false;
  };
  struct Prepared {
    Layout compact, pretty;
  };
  std::string prefix_;
  std::map<std::string, Prepared, std::less<>> docs_;
};

}  // namespace ari
