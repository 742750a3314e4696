-- DELETE of the endpoints the create run made, in the order it made them (bench-<thread>-<n>).
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua"
local c = require("common")
setup = c.number_threads
local n = 0
request = function()
  n = n + 1
  return wrk.format("DELETE", c.path .. "bench-" .. tid .. "-" .. n, c.headers(false))
end
done = c.report
