-- Shared by the ARI load scripts: authentication, thread numbering, the endpoint body.
local M = {}

M.auth = "Basic YXN0ZXJpc2s6c2VjcmV0"  -- asterisk:secret
M.path = "/ari/asterisk/config/dynamic/res_pjsip/endpoint/"
M.body = '{"fields":[{"attribute":"from_user","value":"alice"},{"attribute":"allow","value":"!all,g722,ulaw,alaw"},' ..
         '{"attribute":"ice_support","value":"yes"},{"attribute":"force_rport","value":"yes"},' ..
         '{"attribute":"rewrite_contact","value":"yes"},{"attribute":"rtp_symmetric","value":"yes"},' ..
         '{"attribute":"context","value":"default"},{"attribute":"auth","value":"alice"},{"attribute":"aors","value":"alice"}]}'

-- Numbers the wrk threads so scripts can give each its own id range.
local counter = 1
function M.number_threads(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function M.headers(with_body)
  local h = { ["Authorization"] = M.auth }
  if with_body then h["Content-Type"] = "application/json" end
  return h
end

-- The bytes wrk.format gives for `method` on M.path .. <id>, as the part before the id and the
-- part after it: a request is then one string join. Called from init() (wrk sets the Host
-- header just before). Building every request with wrk.format (a headers table, a formatted line
-- per header, a concat) cost the client a CPU share that, on a machine shared with the server,
-- the server then lacked.
function M.template(method, with_body, body)
  local marker = "\1id\1"
  local r = wrk.format(method, M.path .. marker, M.headers(with_body), body)
  local i, j = r:find(marker, 1, true)
  return r:sub(1, i - 1), r:sub(j + 1)
end

-- Reports non-2xx answers at the end so a run that did the wrong thing is visible.
function M.report(summary)
  local e = summary.errors
  io.write(string.format("non-2xx or socket errors: status=%d connect=%d read=%d write=%d timeout=%d\n",
    e.status, e.connect, e.read, e.write, e.timeout))
end

return M
