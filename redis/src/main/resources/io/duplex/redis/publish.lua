-- Publishes one room message atomically: assigns the room's next sequence number, keeps the message in the
-- room's history (a stream whose entry ids are the sequence numbers) and publishes it on the room's channel.
-- KEYS[1] sequence counter, KEYS[2] history stream
-- ARGV[1] channel, ARGV[2] 't' (text) or 'b' (binary), ARGV[3] payload,
-- ARGV[4] marker: decimal digits in the payload to replace by the sequence number, or '' for none,
-- ARGV[5] floor: a sequence number this room already reached (after a Redis restart the counter starts
--         again from it, never below), ARGV[6] history count (0: keep none), ARGV[7] history age in ms
local seq = redis.call('INCR', KEYS[1])
local floor = tonumber(ARGV[5])
if seq <= floor then
  seq = floor + 1
  redis.call('SET', KEYS[1], seq)
end
-- Lua numbers are doubles, which tostring and .. print in exponent form from 1e14 on: '%d' stays exact up to 2^53.
local digits = string.format('%d', seq)
local body = ARGV[3]
if ARGV[4] ~= '' then
  -- ARGV[4] is only decimal digits and digits has no '%': neither can act as pattern or replacement syntax.
  body = (string.gsub(body, ARGV[4], digits))
end
local count = tonumber(ARGV[6])
if count > 0 then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local age = tonumber(ARGV[7])
  redis.call('XADD', KEYS[2], 'MAXLEN', count, digits .. '-0', 'o', ARGV[2], 't', now, 'm', body)
  -- Drop what is older than the age bound; one or two entries per publish at most in steady state.
  while true do
    local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
    if #first == 0 or tonumber(first[1][2][4]) >= now - age then
      break
    end
    redis.call('XDEL', KEYS[2], first[1][1])
  end
  redis.call('PEXPIRE', KEYS[2], age)
end
redis.call('PUBLISH', ARGV[1], 'm' .. ARGV[2] .. digits .. ' ' .. body)
return seq
