-- wrk script: read beacons (POST /v1/articles/{id}/reads), each (reader, article) pair once per run:
-- the pairs of TOKENS x ARTICLES (comma-separated), dealt out to wrk's threads in turn.
local tokens, articles = {}, {}
for t in string.gmatch(os.getenv("TOKENS"), "[^,]+") do tokens[#tokens + 1] = t end
for a in string.gmatch(os.getenv("ARTICLES"), "[^,]+") do articles[#articles + 1] = a end
local threads = 0
setup = function(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
init = function(args)
  stride = 2 -- bench/__main__.py runs wrk with -t2
end
local n = 0
request = function()
  local pair = (n * stride + offset) % (#tokens * #articles)
  n = n + 1
  local reader = tokens[(pair % #tokens) + 1]
  local article = articles[math.floor(pair / #tokens) + 1]
  local headers = {["Authorization"] = "Bearer " .. reader}
  return wrk.format("POST", "/v1/articles/" .. article .. "/reads", headers, "")
end
