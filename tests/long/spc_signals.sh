#!/bin/bash
# spc_signals.sh — issue 6's correctness check of SPC on a generated region: LAS authorities
# (default 40) x YEARS (5), every return imported, then `improve spc --la L --measure M` (XmR,
# default options, direction from the measure's polarity) on the discrete monthly series of each
# measure the generator plants changes in, against truth/signals.csv.
#
#   planted          a shift or trend at month M counts as signalled when the chart has a
#                    special-cause point in the planted direction at M or in the 3 months after
#                    it (M .. M+3); at least 90% of planted shifts and trends must be
#                    (relapses, the loss of an earlier improvement, are reported, not judged)
#   not planted      every authority and measure with no planted signal: the share of series
#                    with any special-cause point, and the share of 4-month windows holding one
#                    (the chance that a window like the detection window signals by itself);
#                    reported, not judged
#
# Run by `make check-full` (tests/run --long): exit 0 pass, 77 skip, anything else fail.
# KEEP=1 keeps the work directory; DB=PATH REGION=DIR reuse an imported region; SPC_OPTS adds
# options to every `improve spc` (to compare chart settings).
set -u
. "$(dirname "$0")/lib/region.sh"
IMPROVE=${IMPROVE:-build/rel/improve}
LAS=${LAS:-40}
YEARS=${YEARS:-5}
SEED=${SEED:-3}
JOBS=${JOBS:-2}
if [ ! -x "$IMPROVE" ]; then
	echo "skipped: no improve binary at $IMPROVE (make improve)"
	exit 77
fi
IMPROVE=$(realpath "$IMPROVE")
T=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "keeping $T" || trap 'rm -rf "$T"' EXIT
R=${REGION:-$T/r}
DB=${DB:-$T/i.db}
export IMPROVE R DB
if [ ! -f "$DB" ]; then
	"$IMPROVE" -q synth --out "$R" --las "$LAS" --years "$YEARS" --seed "$SEED" || exit 1
	import_region "$IMPROVE" "$R" "$DB" "$JOBS" || exit 1
fi

# Every (authority, measure) chart of the measures the generator plants changes in, one file of
# "la measure polarity period value point_type" lines.
MEASURES=$(tail -n +2 "$R/truth/signals.csv" | cut -d, -f2 | sort -u)
[ -n "$MEASURES" ] || { echo "no planted signals in $R/truth/signals.csv"; exit 1; }
: >"$T/points.txt"
for m in $MEASURES; do
	for la in $(ls "$R" | grep -E '^[0-9]{3}$'); do
		pol=$("$IMPROVE" measures --db "$DB" --la "$la" --measure "$m" --format csv 2>/dev/null |
			awk -F, 'NR == 2 { print $8; exit }')
		# shellcheck disable=SC2086
		"$IMPROVE" spc --db "$DB" --la "$la" --measure "$m" ${SPC_OPTS:-} --format csv 2>/dev/null |
			awk -F, -v la="$la" -v m="$m" -v pol="${pol:-neutral}" \
				'NR > 1 { print la, m, pol, $1, ($2 == "" ? "NA" : $2), $12 }' >>"$T/points.txt"
	done
done

tail -n +2 "$R/truth/signals.csv" | tr ',' ' ' >"$T/signals.txt"
awk -v out="$T/verdict" '
	# +1 for a special-cause point that is high or rising, -1 low or falling, 0 common cause.
	function dir(type, pol) {
		if (type == "special_cause_neutral_high") return 1
		if (type == "special_cause_neutral_low") return -1
		if (type == "special_cause_improvement") return pol == "lower_better" ? -1 : 1
		if (type == "special_cause_concern") return pol == "lower_better" ? 1 : -1
		return 0
	}
	FNR == NR { key = $1 " " $2; n[key]++; at[key, $4] = n[key]; d[key, n[key]] = dir($6, $3)
		    next }
	{ key = $1 " " $2; planted[key] = 1; kind = $4; want = $5 > 0 ? 1 : -1
	  total[kind]++
	  i = at[key, $3]
	  if (!i) { missing[kind]++; next }
	  hit = 0
	  for (k = i; k <= i + 3 && k <= n[key]; k++) if (d[key, k] == want) hit = 1
	  found[kind] += hit }
	END {
		for (kind in total)
			printf "%-8s %3d planted, %3d signalled in the planted direction within 3 months (%.1f%%)%s\n",
				kind, total[kind], found[kind], 100 * found[kind] / total[kind],
				missing[kind] ? sprintf("; %d months not in the series", missing[kind]) : ""
		judged = total["shift"] + total["trend"]; got = found["shift"] + found["trend"]
		printf "shifts and trends: %d of %d (%.1f%%); threshold 90%%\n", got, judged,
			judged ? 100 * got / judged : 0
		for (key in n) {
			if (key in planted) continue
			series++; any = 0
			for (k = 1; k <= n[key]; k++) if (d[key, k] != 0) any = 1
			flagged += any
			for (k = 1; k + 3 <= n[key]; k++) {
				windows++; w = 0
				for (j = k; j <= k + 3; j++) if (d[key, j] != 0) w = 1
				wflag += w
			}
		}
		printf "no planted signal: %d series, %d with a special-cause point (%.1f%%); %d of %d 4-month windows hold one (%.1f%%)\n",
			series, flagged, series ? 100 * flagged / series : 0, wflag, windows,
			windows ? 100 * wflag / windows : 0
		print (judged > 0 && got >= 0.9 * judged) ? "pass" : "fail" > out
	}' "$T/points.txt" "$T/signals.txt"
[ "$(cat "$T/verdict")" = pass ] || { echo "spc on a generated region: fewer than 90% of planted shifts and trends signalled"; exit 1; }
echo "spc on a generated region: at least 90% of planted shifts and trends signalled within 3 months"
exit 0
