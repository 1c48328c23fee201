-- Applies one lane's commands for the slots one master serves, each slot's part with that slot's
-- checkpoint, without a shebang so it may touch keys of every slot the node serves (3.0+).
-- ARGV: syncId, groups, then per group: checkpoint key, probe key, expected checkpoint prefix
-- ("" for none of this sync), new checkpoint value, commands, then per command: argc, args...
-- Returns {status per group, {group, command, error, ...}}; status 1 applied, 2 already applied,
-- 0 not applied (its predecessor in this slot is not), M not applied (slot not served here, or
-- migrating: every write of the script is known to succeed only when no slot is).
if redis.replicate_commands then redis.replicate_commands() end
local a = ARGV
local sync = a[1] .. ' '
local n = tonumber(a[2])
local st, errs, at = {}, {}, {}
local i = 3
-- First read only, every slot's probe key (which never exists) with its checkpoint, in one MGET
-- each: a slot not served here, or being migrated away, refuses that read (ASK or TRYAGAIN for a
-- missing key), and no write has happened yet.
local seen = {}
for g = 1, n do
  at[g] = i
  local r = redis.pcall('MGET', a[i + 1], a[i])
  if r.err then st[g] = 'M' else st[g] = '?'; seen[g] = r[2] end
  local nc = tonumber(a[i + 4])
  i = i + 5
  for c = 1, nc do i = i + 1 + tonumber(a[i]) end
end
for g = 1, n do
  if st[g] == '?' then
    local j = at[g]
    local ck, prev, nxt, cur = a[j], a[j + 2], a[j + 3], seen[g]
    if cur == nxt then
      st[g] = '2'
    elseif (prev == '' and (not cur or string.sub(cur, 1, #sync) ~= sync))
        or (prev ~= '' and cur and string.sub(cur, 1, #prev) == prev) then
      local nc = tonumber(a[j + 4])
      j = j + 5
      for c = 1, nc do
        local argc = tonumber(a[j])
        local r = redis.pcall(unpack(a, j + 1, j + argc))
        if type(r) == 'table' and r.err then
          errs[#errs + 1] = g
          errs[#errs + 1] = c
          errs[#errs + 1] = r.err
        end
        j = j + 1 + argc
      end
      redis.call('SET', ck, nxt)
      st[g] = '1'
    else
      st[g] = '0'
    end
  end
end
return {table.concat(st), errs}
