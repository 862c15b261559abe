-- wrk script: each request reads the home timeline (50 items) of one of the users in TOKENS (comma-separated).
local tokens = {}
for t in string.gmatch(os.getenv("TOKENS"), "[^,]+") do tokens[#tokens + 1] = t end
local n = 0
request = function()
  n = n + 1
  local headers = {["Authorization"] = "Bearer " .. tokens[(n % #tokens) + 1]}
  return wrk.format("GET", "/v1/timelines/home?limit=50", headers)
end
