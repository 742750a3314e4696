-- PUT creating a new endpoint on every request: ids bench-<thread>-<n>, or <prefix>-<thread>-<n> with
-- `wrk ... -- <prefix>` (e.g. successive runs on one server that must all create).
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua"
local c = require("common")
setup = c.number_threads
local pre, post
function init(args)
  pre, post = c.template("PUT", true, c.body)
  pre = pre .. (args[1] or "bench") .. "-" .. tid .. "-"  -- wrk ... -- <prefix>: another id range
end
local n = 0
request = function()
  n = n + 1
  return pre .. n .. post
end
done = c.report
