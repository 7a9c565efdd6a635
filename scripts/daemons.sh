#!/usr/bin/env bash
# Real rspamd, clamd, redis and a stub DNS (dnsmasq) for the filter tests, on 127.0.0.1 ports of
# their own, state under .tmp/daemons/ (see ../shared/RECIPES.md for why each flag is there).
#
#   bash scripts/daemons.sh start    install what is missing (root), start, wait, write .tmp/daemons/env
#   bash scripts/daemons.sh stop     stop what this script started (pid files), once no test run uses them
#   bash scripts/daemons.sh stop --force    stop even if another test run still holds them
#   bash scripts/daemons.sh status
#
# Several test runs may share one set of daemons: `start` records the caller's pid as a holder and
# `stop` only stops when no live holder is left. Always exits 0: a daemon that cannot start leaves
# its variable out of the env file and the tests that need it fail with a clear message.
set -u

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.tmp/daemons"
ENV_FILE="$STATE/env"
HOLDERS="$STATE/holders"
LOCK="$STATE/.lock"
TEMPLATES="$ROOT/scripts/daemons"
CALLER="${HERON_DAEMONS_HOLDER:-$PPID}"

log() { printf '# daemons: %s\n' "$*" >&2; }

# A pid file names our daemon only if that pid still runs the program the file is named after
# (rspamd.pid -> rspamd...): a stale file after a reboot must not make us signal a stranger.
pid_alive() {
  [ -f "$1" ] || return 1
  local pid name
  pid=$(cat "$1" 2>/dev/null)
  name=$(basename "$1" .pid)
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$name"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

install_missing() {
  local missing=()
  command -v rspamd >/dev/null || missing+=(rspamd)
  command -v clamd >/dev/null || [ -x /usr/sbin/clamd ] || missing+=(clamav-daemon)
  command -v sigtool >/dev/null || missing+=(clamav)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v dnsmasq >/dev/null || [ -x /usr/sbin/dnsmasq ] || missing+=(dnsmasq-base)
  # Only to check docker-compose.yml (test/deploy): no Docker engine is needed or started.
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    log "missing ${missing[*]} and not root: cannot install"
    return 0
  fi
  log "installing ${missing[*]} (about 30 s)"
  # Without a policy-rc.d the packages' postinst would start daemons on their default ports.
  local made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && made_policy=1
  fi
  flock /tmp/apt.lock sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends rspamd clamav-daemon clamav redis-server dnsmasq-base docker-compose' >"$STATE/apt.log" 2>&1 \
    || log "apt-get failed, see $STATE/apt.log"
  [ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
  return 0
}

# wait_for NAME SECONDS COMMAND...: polls COMMAND every 0.2 s (bounded).
wait_for() {
  local name=$1 secs=$2; shift 2
  local i
  for ((i = 0; i < secs * 5; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  log "$name did not answer within ${secs}s"
  return 1
}

redis_ping() { [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]; }
rspamd_ping() {
  python3 -c 'import sys, urllib.request; sys.exit(0 if urllib.request.urlopen("http://127.0.0.1:%s/ping" % sys.argv[1], timeout=2).read().strip() == b"pong" else 1)' "$1"
}
clamd_ping() {
  python3 - "$1" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
s.sendall(b"zPING\0")
data = s.recv(64)
sys.exit(0 if data.startswith(b"PONG") else 1)
EOF
}

start_dns() {
  local port=$1 dir="$STATE/dns"
  mkdir -p "$dir"
  # NXDOMAIN for every name, answered at once, so rspamd's lookups never wait on timeouts.
  "$(command -v dnsmasq || echo /usr/sbin/dnsmasq)" --conf-file=/dev/null --port="$port" \
    --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts --no-poll --address=/#/ \
    --user=nobody --pid-file="$dir/dnsmasq.pid" --log-facility="$dir/dnsmasq.log" </dev/null >>"$dir/dnsmasq.out" 2>&1 9>&-
}

start_redis() {
  local port=$1 dir="$STATE/redis"
  mkdir -p "$dir"
  redis-server --daemonize yes --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" </dev/null >>"$dir/redis.out" 2>&1 9>&-
  wait_for redis 10 redis_ping "$port"
}

start_rspamd() {
  local port=$1 cport=$2 dnsport=$3 redisport=$4 dir="$STATE/rspamd"
  local conf="$dir/conf"
  # hs_cache survives stop/start: with it, the second start takes ~1 s instead of ~20 s.
  mkdir -p "$conf/local.d" "$conf/override.d" "$dir/db" "$dir/run" "$dir/log" "$STATE/rspamd-hs-cache"
  sed -e "s/@PORT@/$port/" "$TEMPLATES/rspamd/worker-normal.inc" >"$conf/override.d/worker-normal.inc"
  sed -e "s/@PORT@/$cport/" "$TEMPLATES/rspamd/worker-controller.inc" >"$conf/override.d/worker-controller.inc"
  cp "$TEMPLATES/rspamd/worker-proxy.inc" "$conf/override.d/worker-proxy.inc"
  cp "$TEMPLATES/rspamd/fuzzy_check.conf" "$conf/local.d/fuzzy_check.conf"
  cp "$TEMPLATES/rspamd/greylist.conf" "$conf/local.d/greylist.conf"
  sed -e "s|@DNSPORT@|$dnsport|" -e "s|@HSCACHE@|$STATE/rspamd-hs-cache|" \
    "$TEMPLATES/rspamd/options.inc" >"$conf/local.d/options.inc"
  if [ -n "$redisport" ]; then
    sed -e "s/@PORT@/$redisport/" "$TEMPLATES/rspamd/redis.conf" >"$conf/local.d/redis.conf"
  else
    rm -f "$conf/local.d/redis.conf"
  fi
  local user=()
  if [ "$(id -u)" = 0 ] && id _rspamd >/dev/null 2>&1; then
    chown -R _rspamd:_rspamd "$dir/db" "$dir/run" "$dir/log" "$STATE/rspamd-hs-cache"
    user=(-u _rspamd -g _rspamd)
  fi
  rspamd -c /etc/rspamd/rspamd.conf "${user[@]}" -p "$dir/run/rspamd.pid" \
    --var=LOCAL_CONFDIR="$conf" --var=DBDIR="$dir/db" --var=RUNDIR="$dir/run" --var=LOGDIR="$dir/log" \
    </dev/null >>"$dir/rspamd.out" 2>&1 9>&-
  # The first start compiles hyperscan databases (17-26 s on this hardware).
  wait_for rspamd 90 rspamd_ping "$port" && wait_for rspamd-controller 20 rspamd_ping "$cport"
}

start_clamd() {
  local port=$1 dir="$STATE/clamd"
  mkdir -p "$dir/db" "$dir/tmp"
  # Signature downloads cannot work offline: a local content signature of the EICAR test file
  # (matches it base64-attached too, because clamd decodes MIME with ScanMail).
  printf '%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' >"$dir/eicar.com"
  echo "Heron-Test-Eicar:0:*:$(od -An -v -tx1 "$dir/eicar.com" | tr -d ' \n')" >"$dir/db/local.ndb"
  sed -e "s|@DIR@|$dir|g" -e "s/@PORT@/$port/" "$TEMPLATES/clamd.conf" >"$dir/clamd.conf"
  if [ "$(id -u)" = 0 ] && id clamav >/dev/null 2>&1; then
    echo "User clamav" >>"$dir/clamd.conf"
    chown -R clamav:clamav "$dir"
  fi
  "$(command -v clamd || echo /usr/sbin/clamd)" -c "$dir/clamd.conf" </dev/null >>"$dir/clamd.out" 2>&1 9>&-
  wait_for clamd 30 clamd_ping "$port"
}

all_running() {
  pid_alive "$STATE/dns/dnsmasq.pid" && pid_alive "$STATE/redis/redis.pid" &&
    pid_alive "$STATE/rspamd/run/rspamd.pid" && pid_alive "$STATE/clamd/clamd.pid" && [ -s "$ENV_FILE" ]
}

# SIGTERM to everything at once (rspamd takes a few seconds to shut down), then wait, bounded.
stop_all() {
  local files=("$STATE/rspamd/run/rspamd.pid" "$STATE/clamd/clamd.pid" "$STATE/redis/redis.pid" "$STATE/dns/dnsmasq.pid")
  local pids=() f p i
  for f in "${files[@]}"; do
    if pid_alive "$f"; then
      p=$(cat "$f")
      kill "$p" 2>/dev/null && pids+=("$p") && log "stopping ${f##*/} ($p)"
    fi
  done
  for ((i = 0; i < 100; i++)); do
    local left=0
    for p in "${pids[@]+"${pids[@]}"}"; do kill -0 "$p" 2>/dev/null && left=1; done
    [ $left = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]+"${pids[@]}"}"; do kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null; done
  rm -f "${files[@]}" "$ENV_FILE" "$HOLDERS"
}

prune_holders() {
  [ -f "$HOLDERS" ] || return 0
  local p keep=()
  while read -r p; do
    [ -n "$p" ] && [ "$p" != "${1:-}" ] && kill -0 "$p" 2>/dev/null && keep+=("$p")
  done <"$HOLDERS"
  printf '%s\n' "${keep[@]+"${keep[@]}"}" | grep . >"$HOLDERS.new"
  mv "$HOLDERS.new" "$HOLDERS"
}

cmd_start() {
  local t0=$SECONDS
  install_missing
  if all_running; then
    log "already running (reused)"
  else
    stop_all
    local dns redis rsp rctl clam
    dns=$(free_port); redis=$(free_port); rsp=$(free_port); rctl=$(free_port); clam=$(free_port)
    : >"$ENV_FILE.new"
    start_dns "$dns"
    echo "HERON_TEST_DNS=127.0.0.1:$dns" >>"$ENV_FILE.new"
    local redis_ok=''
    if start_redis "$redis"; then
      redis_ok=$redis
      echo "HERON_TEST_REDIS_URL=redis://127.0.0.1:$redis" >>"$ENV_FILE.new"
    fi
    if start_rspamd "$rsp" "$rctl" "$dns" "$redis_ok"; then
      echo "HERON_TEST_RSPAMD_URL=http://127.0.0.1:$rsp" >>"$ENV_FILE.new"
      echo "HERON_TEST_RSPAMD_CONTROLLER_URL=http://127.0.0.1:$rctl" >>"$ENV_FILE.new"
    else
      log "rspamd failed, see $STATE/rspamd/log/rspamd.log and $STATE/rspamd/rspamd.out"
    fi
    if start_clamd "$clam"; then
      echo "HERON_TEST_CLAMD=127.0.0.1:$clam" >>"$ENV_FILE.new"
      # For tests that start (and stop) a clamd of their own on the same signatures.
      echo "HERON_TEST_CLAMD_DB=$STATE/clamd/db" >>"$ENV_FILE.new"
    else
      log "clamd failed, see $STATE/clamd/clamd.log"
    fi
    mv "$ENV_FILE.new" "$ENV_FILE"
  fi
  echo "$CALLER" >>"$HOLDERS"
  log "ready in $((SECONDS - t0))s: $(tr '\n' ' ' <"$ENV_FILE")"
}

cmd_stop() {
  if [ "${1:-}" != --force ]; then
    prune_holders "$CALLER"
    if [ -s "$HOLDERS" ]; then
      log "still used by pid(s) $(tr '\n' ' ' <"$HOLDERS"): left running"
      return 0
    fi
  fi
  stop_all
}

cmd_status() {
  local name file
  for name in dns/dnsmasq redis/redis rspamd/run/rspamd clamd/clamd; do
    file="$STATE/$name.pid"
    if pid_alive "$file"; then echo "${name##*/}: running ($(cat "$file"))"; else echo "${name##*/}: stopped"; fi
  done
  [ -f "$ENV_FILE" ] && cat "$ENV_FILE"
  return 0
}

mkdir -p "$STATE"
exec 9>"$LOCK"
flock 9
case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop "${2:-}" ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop [--force]|status" >&2 ;;
esac
exit 0
