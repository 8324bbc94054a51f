#!/bin/bash
# impact_region.sh — issue 8's correctness check of `improve impact` on a generated region:
# LAS authorities (default 40) x YEARS (5), every return imported, events.csv registered, then
# `improve impact --la L --event N --measure M` for every planted event, against
# truth/effects.csv (annual effects; a rate per 10,000 is divided by 12 for the monthly series).
#
#   step changes     at least 85% of planted effects inside the ITS 95% interval, and the
#                    synthetic-control effect of the planted sign and within half its size for
#                    at least 80%
#   no change        among authorities with no planted change on a measure (change date
#                    2024-01-01), at most 10% with synthetic-control placebo p < 0.05
#
# Gradual and relapsing changes are reported, not judged: the planted figure is the final level,
# while the methods estimate the mean over every month after the change.
#
# Measured on seeds 3, 4 and 5 (40 x 5; SEED=S tests/long/impact_region.sh), after the
# generator's placement rules (docs/synthetic-data.md, "Where changes are planted"): ITS coverage
# of step changes 27/29 (93%), 38/40 (95%), 28/31 (90%); SC sign and half-size 27/29 (93%),
# 40/40 (100%), 28/31 (90%); nulls with p < 0.05 3/111 (2.7%), 1/104 (1.0%), 1/97 (1.0%);
# inspections (no effect, not judged) with 0 inside the ITS interval 12/15, 10/12, 18/18.
# Before those rules seeds 3 and 4 gave ITS 80% and 84% (seed 5 62%, measured before the planted
# SPC signals were sized against noise): an event shared its monthly series with another change
# in the authority (an S47 change with a referrals change, which moves enquiries too; an
# inspection judged on referrals with a restructure), so its truth was
# not what the series showed (seed 4: all three S47 misses and all eight inspection misses), and
# re-referral changes had as few as 18 months before them against 30 after.  What is left is the
# estimator's own: on white noise, the Newey-West interval of the mean post-period effect
# (statistics.md §3.2's default) covers 88-90% at these designs, not 95%
# (bench/impact/its_coverage); with the OLS standard error the step changes are covered 97%, 98%,
# 97% (the diagnostic line).  With ~30-40 step changes a seed, one seed in a few may still fall
# a little under 85% by chance.
# Run by `make check-full` (tests/run --long): exit 0 pass, 77 skip, anything else fail.
# KEEP=1 keeps the work directory; DB=PATH REGION=DIR reuse a region imported by an earlier run
# (its events registered, as this script leaves them), so only the impact runs are repeated.
set -u
. "$(dirname "$0")/lib/region.sh"
IMPROVE=${IMPROVE:-build/rel/improve}
LAS=${LAS:-40}
YEARS=${YEARS:-5}
SEED=${SEED:-3}
if [ ! -x "$IMPROVE" ]; then
	echo "skipped: no improve binary at $IMPROVE (make improve)"
	exit 77
fi
T=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "keeping $T" || trap 'rm -rf "$T"' EXIT
R=${REGION:-$T/r}
DB=${DB:-$T/i.db}
if [ ! -f "$DB" ]; then
	"$IMPROVE" -q synth --out "$R" --las "$LAS" --years "$YEARS" --seed "$SEED" || exit 1
	import_region "$IMPROVE" "$R" "$DB" || exit 1
	"$IMPROVE" -q import events --db "$DB" "$R/events.csv" >/dev/null || exit 1
elif [ ! -f "$R/events.csv" ]; then
	echo "DB=$DB exists but REGION=$R holds no events.csv: give the region it was imported from"
	exit 1
fi

# One line per method from the JSON: method effect ci_low ci_high p_value ran, then for ITS the
# effect's Newey-West and OLS standard errors (a diagnostic, see the end).
summary() {
	awk '/^    "(its|sc|did)": \{/ { m = $1; gsub(/[":]/, "", m) }
	     /^      "(ran|effect|ci_low|ci_high|p_value)":/ { k = $1; gsub(/[":]/, "", k); v = $2
		gsub(/,/, "", v); val[m, k] = v }
	     /^        "(effect_se|effect_se_ols)":/ { k = $1; gsub(/[":]/, "", k); v = $2
		gsub(/,/, "", v); val[m, k] = v }
	     END { n = split("its sc did", ms, " ")
		for (i = 1; i <= n; i++) print ms[i], val[ms[i], "effect"], val[ms[i], "ci_low"],
			val[ms[i], "ci_high"], val[ms[i], "p_value"], val[ms[i], "ran"],
			val[ms[i], "effect_se"], val[ms[i], "effect_se_ols"] }'
}

# Planted events: id = row of events.csv (imported in order into an empty register).
paste -d, <(tail -n +2 "$R/events.csv") <(tail -n +2 "$R/truth/effects.csv") >"$T/pairs.csv"
id=0
: >"$T/events.txt"
while IFS=, read -r la date kind title measures note la2 date2 kind2 measure effect unit; do
	id=$((id + 1))
	[ "$la" = "$la2" ] || { echo "events.csv and effects.csv disagree at row $id"; exit 1; }
	"$IMPROVE" impact --db "$DB" --la "$la" --event "$id" --measure "$measure" --format json \
		2>/dev/null | summary | sed "s|^|$id $la $unit $effect ${note// /_} |" >>"$T/events.txt"
done <"$T/pairs.csv"
# Nulls: every authority and measure with no planted change on that measure.
: >"$T/nulls.txt"
for m in referrals_rate_per_10k rereferrals_12m_pct s47_rate_per_10k cla_starting_rate_per_10k; do
	for la in $(ls "$R" | grep -E '^[0-9]{3}$'); do
		grep -q "^$la,.*,$m," "$R/events.csv" && continue
		"$IMPROVE" impact --db "$DB" --la "$la" --date 2024-01-01 --measure "$m" --method sc \
			--format json 2>/dev/null | summary | grep '^sc ' >>"$T/nulls.txt"
	done
done

awk -v out="$T/verdict" '
	FNR == NR { if ($6 == "its") { key = $1; planted = $4 / ($3 == "rate_per_10k" ? 12 : 1)
		    note[key] = $5; p[key] = planted; n[note[key]]++
		    if ($11 == "true" && $8 <= planted && planted <= $9) cover[note[key]]++
		    if ($11 == "true") ran[note[key]]++
		    if ($11 == "true" && $12 > 0) { t = ($9 - $7) / $12
			if ($7 - t * $13 <= planted && planted <= $7 + t * $13) olscover[note[key]]++ } }
		  if ($6 == "sc" && $11 == "true" && p[$1] != 0) { sran[note[$1]]++
		    if ((($7 > 0) == (p[$1] > 0)) && ($7 - p[$1])^2 <= (p[$1] / 2)^2) good[note[$1]]++ }
		  next }
	$6 == "true" { nulls++; if ($5 != "null" && $5 < 0.05) sig++ }
	END {
		for (k in n) printf "%-36s %3d events; ITS ran %3d, planted inside 95%% CI %3d (%.0f%%); SC ran %3d, sign and half-size right %3d (%.0f%%)\n",
			k, n[k], ran[k], cover[k], 100 * cover[k] / (ran[k] ? ran[k] : 1), sran[k], good[k], 100 * good[k] / (sran[k] ? sran[k] : 1)
		printf "no planted change: %d synthetic-control runs, p < 0.05 in %d (%.1f%%)\n", nulls, sig, 100 * sig / (nulls ? nulls : 1)
		s = "planted:_step_change"
		printf "diagnostic, not judged: the ITS interval with the OLS standard error instead of Newey-West would hold %d of %d step changes (%.0f%%)\n", olscover[s], ran[s], 100 * olscover[s] / (ran[s] ? ran[s] : 1)
		s = "planted:_step_change"
		ok = ran[s] > 0 && cover[s] >= 0.85 * ran[s] && good[s] >= 0.80 * sran[s] && nulls > 0 && sig <= 0.10 * nulls
		print ok ? "pass" : "fail" > out
	}' "$T/events.txt" "$T/nulls.txt"
[ "$(cat "$T/verdict")" = pass ] || { echo "impact on a generated region: below the issue 8 thresholds"; exit 1; }
echo "impact on a generated region: step changes and nulls within the issue 8 thresholds"
exit 0
