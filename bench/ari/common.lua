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

-- Reports non-2xx answers at the end so a run that did the wrong thing is visible.
function M.report(summary)
  local e = summary.errors
  io.write(string.format("non-2xx or socket errors: status=%d connect=%d read=%d write=%d timeout=%d\n",
    e.status, e.connect, e.read, e.write, e.timeout))
end

return M
