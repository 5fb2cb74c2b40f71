-- Takes one request's share of a partner's budget, atomically, for every gateway replica.
-- KEYS[1]  sorted set of the partner's requests in flight (member: request key, score: start ms)
-- KEYS[2]  hash of the partner's cost bucket (tokens, at ms)
-- ARGV[1]  request key            ARGV[2]  most requests in flight
-- ARGV[3]  ms after which an entry in flight is stale (a replica died holding it)
-- ARGV[4]  cost of this request   ARGV[5]  cost refilled per second   ARGV[6]  bucket size
-- Returns {0, 0} when taken; {1, retry ms} over the requests in flight; {2, retry ms} over the cost.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max_in_flight = tonumber(ARGV[2])
local stale_ms = tonumber(ARGV[3])
local rate = tonumber(ARGV[5])
local burst = tonumber(ARGV[6])
local cost = math.min(tonumber(ARGV[4]), burst)

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - stale_ms)
if redis.call('ZCARD', KEYS[1]) >= max_in_flight then
  return {1, 100}
end

local bucket = redis.call('HMGET', KEYS[2], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or burst
local at = tonumber(bucket[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local keep_ms = math.ceil(burst * 1000 / rate) + 1000
if tokens < cost then
  redis.call('HSET', KEYS[2], 'tokens', tokens, 'at', now)
  redis.call('PEXPIRE', KEYS[2], keep_ms)
  return {2, math.ceil((cost - tokens) * 1000 / rate)}
end
redis.call('HSET', KEYS[2], 'tokens', tokens - cost, 'at', now)
redis.call('PEXPIRE', KEYS[2], keep_ms)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], stale_ms)
return {0, 0}
