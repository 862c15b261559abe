-- wrk script: each request publishes a post as one of the verified users in TOKENS (comma-separated).
local tokens = {}
for t in string.gmatch(os.getenv("TOKENS"), "[^,]+") do tokens[#tokens + 1] = t end
local n = 0
request = function()
  n = n + 1
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[(n % #tokens) + 1]}
  return wrk.format("POST", "/v1/posts", headers, '{"text":"今天天气很好，去公园散步。第' .. n .. '条"}')
end
