-- A node's heartbeat and the sweep of dead nodes, atomically, so each dead member is removed (and its leave
-- reported) by exactly one node.
-- KEYS[1] the sorted set of nodes (score: last heartbeat, Redis time in ms)
-- ARGV[1] key prefix, ARGV[2] this node, ARGV[3] node time-to-live in ms, ARGV[4] most dead nodes per sweep
-- Returns {new, tag1, label1, tag2, label2, ...}: new is 1 when this node was not listed (first beat, Redis
-- restarted, or swept as dead), then each removed member's room tag and label.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local new = redis.call('ZADD', KEYS[1], now, ARGV[2])
local out = {new}
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]), 'LIMIT', 0, tonumber(ARGV[4]))
for _, n in ipairs(dead) do
  local roomsKey = ARGV[1] .. 'node:' .. n .. ':rooms'
  local mine = n .. '/'
  for _, tag in ipairs(redis.call('SMEMBERS', roomsKey)) do
    local who = ARGV[1] .. '{' .. tag .. '}:who'
    local all = redis.call('HGETALL', who)
    for i = 1, #all, 2 do
      if string.sub(all[i], 1, #mine) == mine then
        redis.call('HDEL', who, all[i])
        out[#out + 1] = tag
        out[#out + 1] = all[i + 1]
      end
    end
  end
  redis.call('DEL', roomsKey)
  redis.call('ZREM', KEYS[1], n)
end
return out
