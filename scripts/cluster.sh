#!/usr/bin/env bash
# A local promptreel cluster on loopback, for trying the roles out and for tests:
# a throwaway PostgreSQL, `promptreel migrate`, 2 API processes (`serve --no-jobs`) and
# 2 workers sharing one data folder (the local blob store), optionally a Ray head that the
# workers render chunks on. Prints the URLs; Ctrl-C stops everything and removes the folder.
#
#   scripts/cluster.sh                 # 2 API processes + 2 workers
#   scripts/cluster.sh --ray           # + a Ray head with 2 CPUs; workers render chunks on it
#   scripts/cluster.sh --fake-engines  # tones instead of speech, plain shapes (fast, no models)
#   scripts/cluster.sh --apis 3 --workers 4 --port 8000 --keep
#
# Other PROMPTREEL_* settings in the environment are passed to every process.
set -euo pipefail

usage() {
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
}

APIS=2
WORKERS=2
RAY=0
KEEP=0
PORT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --ray) RAY=1 ;;
        --fake-engines) export PROMPTREEL_FAKE_ENGINES=true ;;
        --keep) KEEP=1 ;;
        --apis) APIS="$2"; shift ;;
        --workers) WORKERS="$2"; shift ;;
        --port) PORT="$2"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "cluster.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

ROOT_DIR="$(cd "$(dirname "$0")/.." && pwd)"
if [ -x "$ROOT_DIR/.venv/bin/python" ]; then
    PY="$ROOT_DIR/.venv/bin/python"
    BIN="$ROOT_DIR/.venv/bin"
else
    PY="$(command -v python3)"
    BIN="$(dirname "$PY")"
fi

# PostgreSQL's server binaries: the newest Debian version, else PATH (as tests/pg.py finds them)
PGBIN=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then PGBIN="$d"; break; fi
done
if [ -z "$PGBIN" ] && command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    PGBIN="$(dirname "$(readlink -f "$(command -v initdb)")")"
fi
if [ -z "$PGBIN" ]; then
    echo "cluster.sh: PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's postgresql package (scripts/setup.sh does)" >&2
    exit 1
fi
if [ "$RAY" = 1 ] && ! "$PY" -c "import ray" 2>/dev/null; then
    echo "cluster.sh: --ray needs ray (pip install 'ray[default]')" >&2
    exit 1
fi

free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

TMP="$(mktemp -d /tmp/promptreel-cluster-XXXXXX)"  # short: PostgreSQL's socket path is limited
PGDIR="$TMP/pg"
DATA="$TMP/data"   # shared by every process: the blob store, signing key, caches
LOGS="$TMP/logs"
mkdir -p "$PGDIR" "$DATA" "$LOGS"
chmod 711 "$TMP"  # the postgres user reaches its own folder inside
AS_PG=()
if [ "$(id -u)" = 0 ]; then  # initdb refuses root
    AS_PG=(runuser -u postgres --)
    chown postgres:postgres "$PGDIR"
fi

PIDS=()
NAMES=()
PG_UP=0
STOPPING=0
cleanup() {
    [ "$STOPPING" = 1 ] && return
    STOPPING=1
    trap '' INT TERM
    echo
    echo "stopping the cluster…"
    local i
    for i in "${!PIDS[@]}"; do
        kill -TERM "${PIDS[$i]}" 2>/dev/null || true
    done
    for _ in $(seq 1 100); do  # up to 10 s for a clean stop
        local alive=0
        for i in "${!PIDS[@]}"; do
            kill -0 "${PIDS[$i]}" 2>/dev/null && alive=1
        done
        [ "$alive" = 0 ] && break
        sleep 0.1
    done
    for i in "${!PIDS[@]}"; do
        if kill -0 "${PIDS[$i]}" 2>/dev/null; then
            echo "  ${NAMES[$i]} did not stop in 10 s: killed"
            kill -KILL "${PIDS[$i]}" 2>/dev/null || true
        fi
        wait "${PIDS[$i]}" 2>/dev/null || true
    done
    if [ "$PG_UP" = 1 ]; then
        "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [ "$KEEP" = 1 ]; then
        echo "kept $TMP (logs in $LOGS)"
    else
        rm -rf "$TMP"
    fi
    echo "stopped"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start() {  # name, command…: a background process logging to $LOGS/name.log
    local name="$1"
    shift
    "$@" >"$LOGS/$name.log" 2>&1 &
    PIDS+=("$!")
    NAMES+=("$name")
}

wait_for() {  # seconds, description, command…: poll until the command succeeds
    local seconds="$1" what="$2"
    shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "cluster.sh: $what not ready in ${seconds} s" >&2
            return 1
        fi
        sleep 0.2
    done
}

# 1. PostgreSQL (fsync off: throwaway data), TCP on loopback only
PGPORT="$(free_port)"
"${AS_PG[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 >"$LOGS/initdb.log" 2>&1 \
    || { cat "$LOGS/initdb.log" >&2; exit 1; }
"${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
    -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$PGDIR/log" >&2; exit 1; }
PG_UP=1
"${AS_PG[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres promptreel

export PROMPTREEL_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/promptreel"
export PROMPTREEL_DATA_DIR="$DATA"
export PROMPTREEL_SECRET_KEY="${PROMPTREEL_SECRET_KEY:-$("$PY" -c 'import secrets; print(secrets.token_hex(32))')}"
export PROMPTREEL_MIGRATE_ON_START=false  # the schema is made once, below; the others wait for it

# 2. the schema, once
"$BIN/promptreel" migrate >"$LOGS/migrate.log" 2>&1 || { cat "$LOGS/migrate.log" >&2; exit 1; }

# 3. optionally a Ray head (2 CPUs) that the workers send render chunks to
RAY_ADDRESS=""
if [ "$RAY" = 1 ]; then
    RAYPORT="$(free_port)"
    start ray-head "$BIN/ray" start --head --block --node-ip-address=127.0.0.1 --port="$RAYPORT" \
        --num-cpus=2 --include-dashboard=false --temp-dir="$TMP/ray" --disable-usage-stats
    RAY_ADDRESS="127.0.0.1:$RAYPORT"
    wait_for 120 "the Ray head" "$PY" -c "import ray; ray.init(address='$RAY_ADDRESS', logging_level='ERROR'); ray.shutdown()"
fi

# 4. API processes: HTTP only
API_URLS=()
for i in $(seq 1 "$APIS"); do
    if [ -n "$PORT" ]; then p=$((PORT + i - 1)); else p="$(free_port)"; fi
    start "api$i" "$BIN/promptreel" serve --no-jobs --host 127.0.0.1 --port "$p"
    API_URLS+=("http://127.0.0.1:$p")
done

# 5. workers: turns and renders
for i in $(seq 1 "$WORKERS"); do
    if [ -n "$RAY_ADDRESS" ]; then
        start "worker$i" "$BIN/promptreel" worker --ray-address "$RAY_ADDRESS"
    else
        start "worker$i" "$BIN/promptreel" worker
    fi
done

health() { "$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + '/api/health', timeout=2)" "$1"; }
for u in "${API_URLS[@]}"; do
    wait_for 120 "$u" health "$u" || { tail -n 30 "$LOGS"/api*.log >&2; exit 1; }
done
for i in $(seq 1 "$WORKERS"); do
    wait_for 120 "worker$i" grep -q "taking turns and renders" "$LOGS/worker$i.log" \
        || { tail -n 30 "$LOGS/worker$i.log" >&2; exit 1; }
done

echo "promptreel cluster on loopback (Ctrl-C stops it):"
for i in "${!API_URLS[@]}"; do
    echo "  API $((i + 1)):     ${API_URLS[$i]}   (studio: ${API_URLS[$i]}/)"
done
echo "  workers:   $WORKERS"
if [ -n "$RAY_ADDRESS" ]; then echo "  Ray head:  $RAY_ADDRESS (2 CPUs)"; fi
echo "  database:  $PROMPTREEL_DATABASE_URL"
echo "  data:      $DATA"
echo "  logs:      $LOGS"
# a file other scripts can source: the same settings and URLs
{
    echo "PROMPTREEL_DATABASE_URL=$PROMPTREEL_DATABASE_URL"
    echo "PROMPTREEL_DATA_DIR=$DATA"
    echo "PROMPTREEL_API_URLS=\"${API_URLS[*]}\""
    if [ -n "$RAY_ADDRESS" ]; then echo "RAY_ADDRESS=$RAY_ADDRESS"; fi
} >"$TMP/cluster.env"
echo "  settings:  $TMP/cluster.env"

# keep running; say so once when a process exits on its own
declare -A REPORTED=()
while true; do
    for i in "${!PIDS[@]}"; do
        if [ -z "${REPORTED[$i]:-}" ] && ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
            REPORTED[$i]=1
            echo "cluster.sh: ${NAMES[$i]} exited; last lines of $LOGS/${NAMES[$i]}.log:" >&2
            tail -n 15 "$LOGS/${NAMES[$i]}.log" >&2 || true
        fi
    done
    sleep 1
done
