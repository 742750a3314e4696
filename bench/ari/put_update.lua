-- PUT updating one of the 1,000 pre-created endpoints (ep0 .. ep999), chosen at random.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua"
local c = require("common")
local update = '{"fields":[{"attribute":"context","value":"internal"},{"attribute":"rtp_symmetric","value":"no"}]}'
request = function()
  return wrk.format("PUT", c.path .. "ep" .. math.random(0, 999), c.headers(true), update)
end
done = c.report
