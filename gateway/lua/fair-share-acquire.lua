-- Takes one request's share of a partner's budgets, atomically, for every gateway replica.
-- KEYS[1]  sorted set of the partner's requests in flight (member: request key, score: start ms)
-- KEYS[2]  hash of the partner's cost bucket (tokens, at ms)
-- KEYS[3]  hash of the partner's bulk bucket, drawn on only by bulk requests
-- ARGV[1]  request key            ARGV[2]  most requests in flight
-- ARGV[3]  ms after which an entry in flight is stale (a replica died holding it)
-- ARGV[4]  cost of this request   ARGV[5]  cost refilled per second   ARGV[6]  bucket size
-- ARGV[7]  bulk cost refilled per second (its bucket holds one second), 0 when the request is not bulk
-- Returns {0, 0} when taken; {1, retry ms} over the requests in flight; {2, retry ms} over the
-- cost; {3, retry ms} over the bulk budget.
-- A request costing more than a bucket holds passes only when that bucket is full, and leaves it
-- in debt by the rest of its cost: its whole cost is paid before the next request passes, so a
-- partner's long-run rate stays within the budget however large its requests.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max_in_flight = tonumber(ARGV[2])
local stale_ms = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - stale_ms)
if redis.call('ZCARD', KEYS[1]) >= max_in_flight then
  return {1, 100}
end

-- Tokens in a bucket now, and ms until it holds what this request needs (0: it may pass).
local function level(key, rate, burst)
  local bucket = redis.call('HMGET', key, 'tokens', 'at')
  local tokens = tonumber(bucket[1]) or burst
  local at = tonumber(bucket[2]) or now
  tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
  local needed = math.min(cost, burst)
  if tokens >= needed then return tokens, 0 end
  return tokens, math.ceil((needed - tokens) * 1000 / rate)
end
-- A bucket is kept until it would be full again; after that a missing bucket reads as full.
local function store(key, tokens, rate, burst)
  redis.call('HSET', key, 'tokens', tokens, 'at', now)
  redis.call('PEXPIRE', key, math.ceil((burst - tokens) * 1000 / rate) + 1000)
end

local rate, burst = tonumber(ARGV[5]), tonumber(ARGV[6])
local bulk_rate = tonumber(ARGV[7])
local tokens, wait = level(KEYS[2], rate, burst)
local bulk_tokens, bulk_wait = 0, 0
if bulk_rate > 0 then bulk_tokens, bulk_wait = level(KEYS[3], bulk_rate, bulk_rate) end
-- Refused by whichever budget needs the longer wait, so a retry after it can pass both.
if bulk_wait > wait then
  return {3, bulk_wait}
end
if wait > 0 then
  store(KEYS[2], tokens, rate, burst)
  return {2, wait}
end
store(KEYS[2], tokens - cost, rate, burst)
if bulk_rate > 0 then store(KEYS[3], bulk_tokens - cost, bulk_rate, bulk_rate) end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], stale_ms)
return {0, 0}
