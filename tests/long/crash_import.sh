#!/bin/bash
# crash_import.sh — an import killed at random points leaves the store holding the old return or
# the new one, never a mixture (security.md, "Crash consistency").
#
# Two versions of one authority's SSDA903 return for the same year (two synthetic regions with
# different seeds).  Version A is imported; then, 100 times, an import of the version not stored
# at the moment is started and killed with SIGKILL after a random delay between 0 and 1.2 times
# the time a whole import takes.  After each kill, sqlite3 checks that the rows of that authority
# and year (every SSDA903 table, the return record and the findings) are exactly version A's or
# exactly version B's, that no import is left half-recorded, and that PRAGMA integrity_check is ok.
#
# Run by `make check-full` (tests/run --long): exit 0 pass, 77 skip, anything else fail.
set -u
IMPROVE=${IMPROVE:-build/rel/improve}
ROUNDS=${ROUNDS:-100}
if ! command -v sqlite3 >/dev/null; then
	echo "skipped: the sqlite3 command-line tool is not installed"
	exit 77
fi
if [ ! -x "$IMPROVE" ]; then
	echo "skipped: no improve binary at $IMPROVE (make improve)"
	exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DB=$T/store.db

"$IMPROVE" -q synth --out "$T/a" --las 1 --years 1 --seed 1 || exit 1
"$IMPROVE" -q synth --out "$T/b" --las 1 --years 1 --seed 2 || exit 1
A=$T/a/001/2026/903
B=$T/b/001/2026/903

# Everything stored for authority 001, 2025/26, except import numbers (which differ by design).
signature() {
	local tables t sql=""
	tables=$(sqlite3 "$1" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 's903_%' ORDER BY name")
	for t in $tables; do
		sql+="SELECT '$t', * FROM $t WHERE la = '001' AND year = 2026 ORDER BY row;"
	done
	sql+="SELECT kind, la, year, rules_year, children, rows, errors, queries FROM returns WHERE la = '001' AND year = 2026;"
	sql+="SELECT seq, rule, severity, table_name, row, child, fields, message, file FROM return_findings WHERE la = '001' AND year = 2026 ORDER BY seq;"
	sqlite3 -batch "$1" "$sql" | sha256sum | cut -d' ' -f1
}

import() { # DB VERSION_DIR
	"$IMPROVE" -q import --db "$1" --la 001 --year 2026 "$2" >/dev/null
}

# The two signatures, from clean imports into stores of their own.
import "$T/ref_b.db" "$B" || { echo "FAIL: importing version B"; exit 1; }
SIG_B=$(signature "$T/ref_b.db")
start=$(date +%s%N)
import "$DB" "$A" || { echo "FAIL: importing version A"; exit 1; }
end=$(date +%s%N)
SIG_A=$(signature "$DB")
if [ "$SIG_A" = "$SIG_B" ]; then
	echo "FAIL: the two versions store the same rows; the test could not tell them apart"
	exit 1
fi
ms=$(((end - start) / 1000000))
[ "$ms" -lt 5 ] && ms=5
max=$((ms * 12 / 10))
echo "one import takes about $ms ms; killing after 0-$max ms, $ROUNDS times"

stored=A old=0 new=0
for ((i = 1; i <= ROUNDS; i++)); do
	if [ $stored = A ]; then next=B dir=$B; else next=A dir=$A; fi
	delay=$((RANDOM % (max + 1)))
	# Started directly, so that the PID killed is improve's own, not a subshell's.
	"$IMPROVE" -q import --db "$DB" --la 001 --year 2026 "$dir" >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '0.%03d' "$delay")"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	check=$(sqlite3 -batch "$DB" "PRAGMA integrity_check")
	if [ "$check" != ok ]; then
		echo "FAIL: round $i (killed after $delay ms): integrity_check says: $check"
		exit 1
	fi
	running=$(sqlite3 -batch "$DB" "SELECT count(*) FROM imports WHERE status = 'running'")
	if [ "$running" != 0 ]; then
		echo "FAIL: round $i (killed after $delay ms): $running import(s) left half-recorded"
		exit 1
	fi
	sig=$(signature "$DB")
	if [ "$sig" = "$SIG_A" ]; then now=A; elif [ "$sig" = "$SIG_B" ]; then now=B; else
		echo "FAIL: round $i (killed after $delay ms while importing $next): the store holds" \
			"neither version A nor version B"
		sqlite3 "$DB" "SELECT * FROM returns"
		exit 1
	fi
	if [ $now = $stored ]; then old=$((old + 1)); else new=$((new + 1)); fi
	stored=$now
done
# The store still takes a whole import after all that.
import "$DB" "$B" || { echo "FAIL: a clean import after the crashes failed"; exit 1; }
[ "$(signature "$DB")" = "$SIG_B" ] || { echo "FAIL: clean import after the crashes"; exit 1; }
echo "passed: $ROUNDS kills; $old left the old return, $new the new one; never a mixture"
