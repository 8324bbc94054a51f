#!/bin/bash
# tests/long/lib/region.sh — sourced by the long runs that need a generated region in a store.
#
#   import_region IMPROVE REGION DB [JOBS]
#
# Imports REGION (the output of `improve synth`) into DB the way an authority would: the
# authorities and populations, then each authority's returns oldest year first (SSDA903 with the
# previous year's tables and the region's reference data, then the CIN census), JOBS authorities
# at a time (default 1).  Prints which import failed and returns 1 on the first failure.

# One authority's returns, oldest year first (IMPROVE, R and DB from the environment).
import_region_la() {
	local la=$1 prev="" y
	for y in $(ls "$R/$la"); do
		# shellcheck disable=SC2086
		"$IMPROVE" -q import --db "$DB" --la "$la" $prev --postcodes "$R/postcodes.csv" \
			--providers "$R/providers.csv" --authorities "$R/authorities.csv" \
			"$R/$la/$y/903" >/dev/null || { echo "import of $la/$y/903 failed"; return 1; }
		"$IMPROVE" -q import --db "$DB" --la "$la" "$R/$la/$y/cin.xml" >/dev/null ||
			{ echo "import of $la/$y/cin.xml failed"; return 1; }
		prev="--previous $R/$la/$y/903"
	done
}

import_region() {
	local IMPROVE=$1 R=$2 DB=$3 jobs=${4:-1}
	"$IMPROVE" -q import authorities --db "$DB" "$R/authorities.csv" >/dev/null || return 1
	"$IMPROVE" -q import populations --db "$DB" "$R/populations.csv" >/dev/null || return 1
	export IMPROVE R DB
	export -f import_region_la
	# shellcheck disable=SC2010
	ls "$R" | grep -E '^[0-9]{3}$' | xargs -P "$jobs" -I{} bash -c 'import_region_la {}'
}
