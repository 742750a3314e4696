-- PUT updating one of the 1,000 pre-created endpoints (ep0 .. ep999), chosen at random.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua"
local c = require("common")
local update = '{"fields":[{"attribute":"context","value":"internal"},{"attribute":"rtp_symmetric","value":"no"}]}'
local requests = {}
function init()
  local pre, post = c.template("PUT", true, update)
  for i = 0, 999 do requests[i + 1] = pre .. "ep" .. i .. post end
end
request = function()
  return requests[math.random(1, 1000)]
end
done = c.report
