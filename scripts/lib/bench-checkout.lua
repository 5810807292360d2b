-- wrk script for scripts/bench: POST /api/v1/orders, one unit of one item.
-- BENCH_TARGETS names a file of lines "TENANT TOKEN ITEM_ID..." (what
-- scripts/lib/bench-seed.sh prints); BENCH_PAYMENT is the payment object
-- (default cash). One tenant with one item: a fixed request, which costs wrk
-- least. Otherwise each request picks a tenant at random, then one of its
-- items at random; the requests are built once, in init, so picking one
-- costs wrk a random number.
local path = assert(os.getenv("BENCH_TARGETS"), "BENCH_TARGETS is not set")
local payment = os.getenv("BENCH_PAYMENT") or '{"method":"cash"}'

local targets = {}
for line in io.lines(path) do
    local fields = {}
    for field in line:gmatch("%S+") do fields[#fields + 1] = field end
    if #fields >= 3 then
        local items = {}
        for i = 3, #fields do items[#items + 1] = fields[i] end
        targets[#targets + 1] = { tenant = fields[1], token = fields[2], items = items }
    end
end
assert(#targets > 0, "no checkout targets in " .. path)

local function body(item)
    return '{"items":[{"menu_item_id":"' .. item .. '","quantity":1}],"payment":' .. payment .. '}'
end

wrk.method = "POST"
wrk.path = "/api/v1/orders"
wrk.headers["content-type"] = "application/json"

if #targets == 1 and #targets[1].items == 1 then
    wrk.headers["x-tenant-id"] = targets[1].tenant
    wrk.headers["authorization"] = "Bearer " .. targets[1].token
    wrk.body = body(targets[1].items[1])
else
    local requests = {}

    function init(args)
        math.randomseed(os.time())
        for t, target in ipairs(targets) do
            local built = {}
            local headers = {
                ["content-type"] = "application/json",
                ["x-tenant-id"] = target.tenant,
                ["authorization"] = "Bearer " .. target.token,
            }
            for i, item in ipairs(target.items) do
                built[i] = wrk.format("POST", "/api/v1/orders", headers, body(item))
            end
            requests[t] = built
        end
    end

    function request()
        local built = requests[math.random(#requests)]
        return built[math.random(#built)]
    end
end
