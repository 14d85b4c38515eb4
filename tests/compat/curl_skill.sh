#!/usr/bin/env bash
# A curl-only client session, exactly as an agent skill written for the hosted service runs it:
# the same paths, headers, bodies and field names; only NEMO_API_URL / NEMO_WEB_URL differ.
#
#   anonymous token (X-Client-Id) → session → claim token → /run_sse (to turn_complete) → credits
#   → state → render → poll the top-level `status` → download `output.url` without a bearer
#   → the `/api/render/proxy/{id}/download` fallback with the bearer.
#
# Environment: NEMO_API_URL, NEMO_WEB_URL, NEMO_TOKEN (optional), NEMO_CLIENT_ID (optional),
# SKILL_SOURCE, SKILL_VERSION, SKILL_PLATFORM, PROMPT, OUT_DIR (where files and the log go),
# POLL_S (seconds between polls; a skill uses 30). No jq: JSON is read with python3 -c.
set -euo pipefail

API="${NEMO_API_URL:-https://mega-api-prod.nemovideo.ai}"
WEB="${NEMO_WEB_URL:-$API}"
SOURCE="${SKILL_SOURCE:-free-generation-maker}"
VERSION="${SKILL_VERSION:-1.0.0}"
PLATFORM="${SKILL_PLATFORM:-unknown}"
PROMPT="${PROMPT:-generate a 30-second video from my script about a coffee brand}"
OUT="${OUT_DIR:-$(mktemp -d)}"
POLL_S="${POLL_S:-30}"
mkdir -p "$OUT"

log() { printf '%s\n' "$*" >>"$OUT/steps.log"; }
die() { printf 'FAILED: %s\n' "$*" >&2; log "FAILED $*"; exit 1; }

# json <file> <python expression on d> — a tiny jq-free reader
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=eval(sys.argv[2]); print(v if isinstance(v,str) else json.dumps(v))' "$1" "$2"; }

ATTR=(-H "X-Skill-Source: $SOURCE" -H "X-Skill-Version: $VERSION" -H "X-Skill-Platform: $PLATFORM")

# 1. token: NEMO_TOKEN, else a free anonymous token for a client id
TOKEN="${NEMO_TOKEN:-}"
if [ -z "$TOKEN" ]; then
  CLIENT_ID="${NEMO_CLIENT_ID:-$(python3 -c 'import uuid; print(uuid.uuid4())')}"
  curl -sS -X POST "$API/api/auth/anonymous-token" -H "X-Client-Id: $CLIENT_ID" "${ATTR[@]}" -o "$OUT/token.json"
  [ "$(json "$OUT/token.json" 'd["code"]')" = 0 ] || die "anonymous token: $(cat "$OUT/token.json")"
  TOKEN="$(json "$OUT/token.json" 'd["data"]["token"]')"
  log "token anonymous credits=$(json "$OUT/token.json" 'd["data"]["credits"]')"
else
  log "token from NEMO_TOKEN"
fi
AUTH=(-H "Authorization: Bearer $TOKEN")

# 2. session
curl -sS -X POST "$API/api/tasks/me/with-session/nemo_agent" "${AUTH[@]}" "${ATTR[@]}" \
  -H "Content-Type: application/json" -d '{"task_name":"project","language":"en"}' -o "$OUT/session.json"
[ "$(json "$OUT/session.json" 'd["code"]')" = 0 ] || die "session: $(cat "$OUT/session.json")"
SID="$(json "$OUT/session.json" 'd["data"]["session_id"]')"
TASK="$(json "$OUT/session.json" 'd["data"]["task_id"]')"
log "session $SID task=$TASK bind=$(json "$OUT/session.json" 'd["data"]["bind_id"]')"

# 3. claim token → the studio link for this project
curl -sS -X POST "$API/api/auth/claim-token" "${AUTH[@]}" "${ATTR[@]}" -H "Content-Type: application/json" \
  -d "{\"task_id\":\"$TASK\",\"session_id\":\"$SID\"}" -o "$OUT/claim.json"
[ "$(json "$OUT/claim.json" 'd["code"]')" = 0 ] || die "claim: $(cat "$OUT/claim.json")"
CT="$(json "$OUT/claim.json" 'd["data"]["claim_token"]')"
STUDIO="$WEB/workspace/claim?ct=$CT"
[ "$(curl -sS -o /dev/null -w '%{http_code}' "$STUDIO")" = 200 ] || die "studio link"
log "claim expires_in=$(json "$OUT/claim.json" 'd["data"]["expires_in"]')"

# 4. the agent turn: read the SSE stream until the server closes it after turn_complete
BODY="$(python3 -c 'import json,sys; print(json.dumps({"app_name":"nemo_agent","user_id":"me","session_id":sys.argv[1],"new_message":{"parts":[{"text":sys.argv[2]}]}}))' "$SID" "$PROMPT")"
curl -sS -N -X POST "$API/run_sse" "${AUTH[@]}" "${ATTR[@]}" -H "Content-Type: application/json" \
  -H "Accept: text/event-stream" --max-time 900 -d "$BODY" -o "$OUT/stream.txt"
LAST="$(grep '^data:' "$OUT/stream.txt" | grep -v '^data: *$' | tail -n 1 | sed 's/^data: *//')"
printf '%s' "$LAST" >"$OUT/last_event.json"
[ "$(json "$OUT/last_event.json" 'd.get("turn_complete")')" = true ] || die "stream did not end with turn_complete"
log "sse events=$(grep -c '^data:' "$OUT/stream.txt") ids=$(grep -c '^id:' "$OUT/stream.txt")"

# 5. credits
curl -sS "$API/api/credits/balance/simple" "${AUTH[@]}" "${ATTR[@]}" -o "$OUT/credits.json"
[ "$(json "$OUT/credits.json" 'd["code"]')" = 0 ] || die "credits"
log "credits available=$(json "$OUT/credits.json" 'd["data"]["available"]') frozen=$(json "$OUT/credits.json" 'd["data"]["frozen"]') total=$(json "$OUT/credits.json" 'd["data"]["total"]')"

# 6. state: the draft to export
curl -sS "$API/api/state/nemo_agent/me/$SID/latest" "${AUTH[@]}" "${ATTR[@]}" -o "$OUT/state.json"
[ "$(json "$OUT/state.json" 'd["code"]')" = 0 ] || die "state"
TRACKS="$(json "$OUT/state.json" 'sum(1 for t in d["data"]["state"]["draft"]["t"] if t.get("sg"))')"
[ "$TRACKS" -gt 0 ] || die "draft not ready"
log "state tracks_with_segments=$TRACKS"

# 7. render
RID="render_$(date +%s%N)"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps({"id":sys.argv[2],"sessionId":sys.argv[3],"draft":d["data"]["state"]["draft"],"output":{"format":"mp4","quality":"high"}}))' \
  "$OUT/state.json" "$RID" "$SID" >"$OUT/render_body.json"
curl -sS -X POST "$API/api/render/proxy/lambda" "${AUTH[@]}" "${ATTR[@]}" -H "Content-Type: application/json" \
  --data-binary "@$OUT/render_body.json" -o "$OUT/render.json"
[ "$(json "$OUT/render.json" 'd["code"]')" = 0 ] || die "render: $(cat "$OUT/render.json")"
log "render $RID"

# 8. poll: read `status` at the top level of the JSON, as existing skills do
STATUS=pending
for _ in $(seq 1 600); do
  curl -sS "$API/api/render/proxy/lambda/$RID" "${AUTH[@]}" "${ATTR[@]}" -o "$OUT/poll.json"
  STATUS="$(json "$OUT/poll.json" 'd["status"]')"
  log "poll status=$STATUS progress=$(json "$OUT/poll.json" 'd.get("progress")')"
  case "$STATUS" in completed|failed) break ;; esac
  sleep "$POLL_S"
done
[ "$STATUS" = completed ] || die "render ended $STATUS: $(cat "$OUT/poll.json")"
URL="$(json "$OUT/poll.json" 'd["output"]["url"]')"

# 9. download output.url with no Authorization header
CODE="$(curl -sS -o "$OUT/video.mp4" -w '%{http_code}' "$URL")"
[ "$CODE" = 200 ] || die "download output.url: HTTP $CODE"
log "download url bytes=$(wc -c <"$OUT/video.mp4")"

# 10. fallback: the download path with the bearer token
CODE="$(curl -sS -o "$OUT/video_fallback.mp4" -w '%{http_code}' "${AUTH[@]}" "${ATTR[@]}" "$API/api/render/proxy/$RID/download")"
[ "$CODE" = 200 ] || die "download fallback: HTTP $CODE"
log "download fallback bytes=$(wc -c <"$OUT/video_fallback.mp4")"
log "studio $WEB/workspace/claim"
log "done"
