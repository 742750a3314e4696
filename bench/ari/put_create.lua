-- PUT creating a new endpoint on every request: ids bench-<thread>-<n>.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua"
local c = require("common")
setup = c.number_threads
local n = 0
request = function()
  n = n + 1
  return wrk.format("PUT", c.path .. "bench-" .. tid .. "-" .. n, c.headers(true), c.body)
end
done = c.report
