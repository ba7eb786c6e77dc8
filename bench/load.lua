-- wrk script: send the session cookie, count responses that are not 2xx, print one result line.
-- With BODY_FILE set, every request is a form POST of that file's content with the CSRF token
-- (CSRF_TOKEN, the csrftoken cookie's value) in the header Django reads it from.
local cookie = os.getenv("COOKIE") or ""
local body_file = os.getenv("BODY_FILE")
local csrf_token = os.getenv("CSRF_TOKEN") or ""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  wrk.headers["Cookie"] = cookie
  if body_file and body_file ~= "" then
    local file = assert(io.open(body_file, "rb"))
    wrk.method = "POST"
    wrk.body = file:read("*a")
    file:close()
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    wrk.headers["X-CSRFToken"] = csrf_token
  end
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %.2f %.2f %.2f %d %d\n",
    summary.requests,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    errors,
    bad))
end
