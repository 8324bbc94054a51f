# shellcheck shell=bash
# bench/web/common.sh — shared by bench/web/run and tests/long/web_load.sh (sourced, not run).
#
# Needs $IMP (an improve binary) and $WORK (a directory for this run's files).
#
#   web_region DIR LAS YEARS     make (once) a generated region of LAS authorities x YEARS and its
#                                database DIR/web.db (authorities, populations, every return)
#   web_start DB                 start `improve serve` on a free loopback port: sets SERVER_PID,
#                                PORT, BASE
#   web_login EMAIL PASSWORD     sign in like a browser (GET /login for the CSRF cookie and token,
#                                POST the form): prints the improve_session cookie's value
#   web_stop                     SIGTERM the server and wait for it; returns its exit status
#   web_hwm_kb / web_rss_kb      the server's peak and current resident memory (kB, /proc)

web_region() {
	local dir=$1 las=$2 years=$3 region=$1/region
	if [ -f "$dir/web.db.done" ] && [ -f "$dir/web.db" ]; then return 0; fi
	rm -rf "$region" "$dir/web.db" "$dir/web.db-wal" "$dir/web.db-shm" "$dir/web.db.done"
	mkdir -p "$dir"
	echo "generating and importing $las authorities x $years years into $dir (once; cached)" >&2
	"$IMP" -q synth --out "$region" --las "$las" --years "$years" || return 1
	"$IMP" -q import authorities --db "$dir/web.db" "$region/authorities.csv" >/dev/null || return 1
	"$IMP" -q import populations --db "$dir/web.db" "$region/populations.csv" >/dev/null || return 1
	# One authority's returns, oldest year first (the previous year's 903 tables beside each).
	import_la() {
		local la=$1 prev="" y
		for yd in "$REGION/$la"/*/; do
			y=$(basename "$yd")
			"$IMP" -q import --db "$DB" --la "$la" $prev --postcodes "$REGION/postcodes.csv" \
				--providers "$REGION/providers.csv" --authorities "$REGION/authorities.csv" \
				"$REGION/$la/$y/903" >/dev/null || return 1
			"$IMP" -q import --db "$DB" --la "$la" "$REGION/$la/$y/cin.xml" >/dev/null || return 1
			prev="--previous $REGION/$la/$y/903"
		done
	}
	export -f import_la
	# SQLite allows one writer at a time: the imports of two authorities wait for each other's
	# commits but overlap their validation.
	for d in "$region"/[0-9][0-9][0-9]; do basename "$d"; done |
		IMP="$IMP" DB="$dir/web.db" REGION="$region" xargs -P "${JOBS:-2}" -I{} bash -c 'import_la {}' ||
		return 1
	touch "$dir/web.db.done"
}

web_start() {
	local db=$1
	"$IMP" serve --db "$db" --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
	SERVER_PID=$!
	PORT=""
	local _
	for _ in $(seq 1 200); do
		PORT=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$WORK/serve.err" 2>/dev/null | head -1)
		[ -n "$PORT" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	if [ -z "$PORT" ]; then
		echo "improve serve did not start:" >&2
		cat "$WORK/serve.err" >&2
		return 1
	fi
	BASE="http://127.0.0.1:$PORT"
}

web_login() {
	local email=$1 password=$2 jar="$WORK/cookies" token
	rm -f "$jar"
	token=$(curl -s -c "$jar" "$BASE/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
	[ -n "$token" ] || { echo "no CSRF token on /login" >&2; return 1; }
	curl -s -o /dev/null -b "$jar" -c "$jar" --data-urlencode "email=$email" \
		--data-urlencode "password=$password" --data-urlencode "csrf=$token" "$BASE/login"
	awk '$6 == "improve_session" { print $7 }' "$jar"
}

web_stop() {
	local rc=0
	if [ -n "${SERVER_PID:-}" ]; then
		kill -TERM "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" || rc=$?
		SERVER_PID=""
	fi
	return $rc
}

web_hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$SERVER_PID/status"; }
web_rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status"; }
