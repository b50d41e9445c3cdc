-- A node's baseline for a room it (re)subscribed to: the room's counter, first raised to what the node already
-- delivered if Redis lost it (a restart without persistence), so numbers never go back for any node's members.
-- KEYS[1] the room's counter; ARGV[1] the last number this node delivered (0 for a room new to it)
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
local floor = tonumber(ARGV[1])
if v < floor then
  redis.call('SET', KEYS[1], floor)
  return floor
end
return v
