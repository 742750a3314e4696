-- GET of one of the 1,000 pre-created endpoints, chosen at random.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua"
local c = require("common")
request = function()
  return wrk.format("GET", c.path .. "ep" .. math.random(0, 999), c.headers(false))
end
done = c.report
