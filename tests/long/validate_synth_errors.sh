#!/bin/bash
# validate_synth_errors.sh — every error injected by `improve synth --errors` is found.
#
# Generates a 12-authority, 5-year region (2022/23 to 2026/27) with --errors 0.01, validates
# every authority and year as validate_synth_clean.sh does (SSDA903 with the region's reference
# data and the previous year's tables, CIN census on its own), and checks each row of
# truth/errors.csv against the findings: it must be found with the same authority, year, rule
# and child, and, as `improve validate` numbers rows, the same table and row.  Missed errors are
# printed; any miss fails.
#
# Run by `make check-full` (tests/run --long): exit 0 pass, 77 skip, anything else fail.
# LAS, YEARS, LAST, SEED and RATE override the region; KEEP=DIR keeps it and the findings.
set -u
IMPROVE=${IMPROVE:-build/rel/improve}
LAS=${LAS:-12}
YEARS=${YEARS:-5}
LAST=${LAST:-2027}
SEED=${SEED:-1}
RATE=${RATE:-0.01}
# $IMPROVE may carry a wrapper (tests/run's valgrind runs), so it is used unquoted.
read -r -a BIN <<<"$IMPROVE"
if [ ! -x "${BIN[-1]}" ] && [ ! -x "${BIN[0]}" ]; then
	echo "skipped: no improve binary at $IMPROVE (make improve)"
	exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if [ -n "${KEEP:-}" ]; then T=$KEEP; rm -rf "$T"; mkdir -p "$T"; trap - EXIT; fi
S=$T/r
FIRST=$((LAST - YEARS + 1))
$IMPROVE -q synth --out "$S" --las "$LAS" --years "$YEARS" --last-year "$LAST" --seed "$SEED" \
	--errors "$RATE" || { echo "synth failed"; exit 1; }

# All findings as la,year,rule,table,row,child (the file column is left out).
ALL=$T/findings.csv
: >"$ALL"
for dir in "$S"/[0-9][0-9][0-9]; do
	la=$(basename "$dir")
	for ((y = FIRST; y <= LAST; y++)); do
		prev=()
		[ -d "$dir/$((y - 1))/903" ] && prev=(--previous "$dir/$((y - 1))/903")
		$IMPROVE -q validate --la "$la" "${prev[@]}" --postcodes "$S/postcodes.csv" \
			--providers "$S/providers.csv" --authorities "$S/authorities.csv" --format csv \
			"$dir/$y/903" >"$T/903.csv" 2>"$T/err"
		rc=$?
		$IMPROVE -q validate --la "$la" --format csv "$dir/$y/cin.xml" >"$T/cin.csv" 2>>"$T/err"
		rc2=$?
		if [ $rc -gt 1 ] || [ $rc2 -gt 1 ]; then
			echo "validate failed (exit $rc/$rc2) on $la/$y:"
			cat "$T/err"
			exit 1
		fi
		for f in "$T/903.csv" "$T/cin.csv"; do
			tail -n +2 "$f" | cut -d, -f1,3,4,5 | sed "s|^|$la,$y,|" >>"$ALL"
		done
	done
done

# truth/errors.csv is la,year,rule,table,row,child,file; findings are la,year,rule,table,row,child.
TRUTH=$S/truth/errors.csv
n=$(($(wc -l <"$TRUTH") - 1))
if [ "$n" -lt 1 ]; then
	echo "no errors were injected"
	exit 1
fi
awk -F, 'NR == FNR { key[$1 FS $2 FS $3 FS $6] = 1; exact[$1 FS $2 FS $3 FS $4 FS $5 FS $6] = 1; next }
	FNR == 1 { next }
	{
		k = $1 FS $2 FS $3 FS $6
		if (!(k in key)) { print "missed: " $0; missed++ }
		else if (!(($1 FS $2 FS $3 FS $4 FS $5 FS $6) in exact)) { print "found on another row: " $0; moved++ }
		by[$3]++
	}
	END {
		for (r in by) printf "  rule %-6s %d injected\n", r, by[r] | "sort"
		close("sort")
		printf "%d missed, %d found on another table or row\n", missed, moved
		exit (missed + moved) > 0
	}' "$ALL" "$TRUTH" >"$T/report"
rc=$?
echo "region: --las $LAS --years $YEARS --last-year $LAST --seed $SEED --errors $RATE: $n injected errors"
grep -v '^missed\|^found on' "$T/report"
grep '^missed\|^found on' "$T/report" | head -40
exit $rc
