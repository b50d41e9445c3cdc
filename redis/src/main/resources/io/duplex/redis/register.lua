-- Replaces every presence entry of one node by the members it has now (after Redis lost them, or after a
-- presence update failed while Redis was unreachable).
-- KEYS[1] the node's set of room tags
-- ARGV[1] key prefix, ARGV[2] this node, then (tag, field, label) for each local member
local mine = ARGV[2] .. '/'
for _, tag in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local who = ARGV[1] .. '{' .. tag .. '}:who'
  local all = redis.call('HKEYS', who)
  for _, f in ipairs(all) do
    if string.sub(f, 1, #mine) == mine then
      redis.call('HDEL', who, f)
    end
  end
end
redis.call('DEL', KEYS[1])
for i = 3, #ARGV, 3 do
  redis.call('HSET', ARGV[1] .. '{' .. ARGV[i] .. '}:who', ARGV[i + 1], ARGV[i + 2])
  redis.call('SADD', KEYS[1], ARGV[i])
end
return 1
