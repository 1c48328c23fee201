# Emits RESP for redis-cli --pipe: small hashes, and some lists, sets and zsets.
# Variables: hashes, lists, sets, zsets (counts), seed.
function cmd(n, a,    i, s) {
  s = "*" n "\r\n"
  for (i = 1; i <= n; i++) s = s "$" length(a[i]) "\r\n" a[i] "\r\n"
  printf "%s", s
}
BEGIN {
  srand(seed)
  for (k = 0; k < hashes; k++) {
    a[1] = "HSET"; a[2] = "hash:" k; n = 2
    nf = 2 + int(rand() * 6)
    for (f = 0; f < nf; f++) { a[++n] = "field" f; a[++n] = "value-" int(rand() * 1000000) }
    cmd(n, a)
  }
  for (k = 0; k < lists; k++) {
    a[1] = "RPUSH"; a[2] = "list:" k; n = 2
    ne = 1 + int(rand() * 20)
    for (e = 0; e < ne; e++) a[++n] = "item-" int(rand() * 1000000)
    cmd(n, a)
  }
  for (k = 0; k < sets; k++) {
    a[1] = "SADD"; a[2] = "set:" k; n = 2
    ne = 1 + int(rand() * 20)
    for (e = 0; e < ne; e++) a[++n] = (rand() < 0.5 ? int(rand() * 100000) : "member-" int(rand() * 100000))
    cmd(n, a)
  }
  for (k = 0; k < zsets; k++) {
    a[1] = "ZADD"; a[2] = "zset:" k; n = 2
    ne = 1 + int(rand() * 20)
    for (e = 0; e < ne; e++) { a[++n] = int(rand() * 100000) / 8; a[++n] = "m-" int(rand() * 100000) }
    cmd(n, a)
  }
}
