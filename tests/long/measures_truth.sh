#!/bin/bash
# measures_truth.sh — stored measure values equal the generator's ground truth on a larger region
# than the golden case measures_truth (which uses 2 authorities x 3 years): LAS authorities x YEARS
# years (default 12 x 5), every return imported with `improve import` (so every value went through
# the store: returns stored, read back, computed, stored, read by `improve measures`), then every
# row of truth/measures.csv (la, year, measure, numerator, denominator, value to 6 dp) must equal
# the CSV of `improve measures --la all`.  Afterwards `--recompute` must give the same CSV.
#
# Run by `make check-full` (tests/run --long): exit 0 pass, 77 skip, anything else fail.
set -u
. "$(dirname "$0")/lib/region.sh"
IMPROVE=${IMPROVE:-build/rel/improve}
LAS=${LAS:-12}
YEARS=${YEARS:-5}
if [ ! -x "$IMPROVE" ]; then
	echo "skipped: no improve binary at $IMPROVE (make improve)"
	exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R=$T/r
DB=$T/m.db
"$IMPROVE" -q synth --out "$R" --las "$LAS" --years "$YEARS" || exit 1
import_region "$IMPROVE" "$R" "$DB" || exit 1
"$IMPROVE" measures --db "$DB" --la all --format csv >"$T/a.csv" || exit 1
awk -F, 'NR == FNR { if (FNR > 1) { truth[$1 "," $2 "," $3] = $4 "," $5 "," $6; n++ } next }
	FNR > 1 { key = $2 "," substr($3, 1, 4) "," $1
		if (key in truth) { got = $4 "," $5 "," sprintf("%.6f", $6)
			if (got != truth[key]) { print "differs:", key, "computed", got, "truth", truth[key]; bad++ }
			delete truth[key] } }
	END { for (k in truth) { print "missing:", k; bad++ }
		print n " truth rows, " bad + 0 " wrong"; exit bad > 0 || n == 0 }' "$R/truth/measures.csv" "$T/a.csv" || exit 1
"$IMPROVE" -q measures --db "$DB" --recompute --la all --format csv >"$T/b.csv" || exit 1
cmp -s "$T/a.csv" "$T/b.csv" || { echo "--recompute changed the values"; diff "$T/a.csv" "$T/b.csv" | head; exit 1; }
echo "every truth row equal; --recompute gives the same $(wc -l <"$T/a.csv") rows"
exit 0
