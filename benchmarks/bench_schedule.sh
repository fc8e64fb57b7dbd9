#!/usr/bin/env bash
# Figures for benchmarks/results/schedule.md: cotrain schedule on the shipped example.
# Usage: benchmarks/bench_schedule.sh   (about 1 minute; needs the cotrain command)
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
demo="$work/demo"
cotrain init "$demo" --example >/dev/null
cotrain -w "$demo" import "$demo/reponses.csv" >/dev/null
cotrain -w "$demo" select >/dev/null
echo "iterations | wall s | max RSS KB | repeats | lower bound | trainer load | stopped by"
for it in 100 200 500 1000 2000; do
  /usr/bin/time -f "%e %M" -o "$work/time" cotrain -w "$demo" schedule --iterations "$it" --json > "$work/out.json"
  read -r wall rss < "$work/time"
  python3 - "$it" "$wall" "$rss" "$work/out.json" <<'PY'
import json, sys
it, wall, rss, path = sys.argv[1:]
d = json.load(open(path))
q = d["quality"]
print(f"{it} | {wall} | {rss} | {q['repeats']} | {q['lower_bound']} | "
      f"{q['trainer_load_min']}-{q['trainer_load_max']} | {d['stopped_by']}")
PY
done
cp "$demo/schedule.toml" "$work/first.toml"
cotrain -w "$demo" schedule --iterations 2000 >/dev/null
cmp -s "$demo/schedule.toml" "$work/first.toml" && echo "same seed twice: byte-identical" || echo "same seed twice: DIFFERENT"
/usr/bin/time -f "schedule check: %e s" cotrain -w "$demo" schedule check >/dev/null
cp "$demo/schedule.toml" "$work/before.toml"
city=$(python3 -c "import tomllib;d=tomllib.load(open('$demo/selection.toml','rb'));print([x['city_id'] for x in d['decisions'] if x['decision']=='selected'][-1])")
cotrain -w "$demo" select --withdraw "$city" --reason "bench" >/dev/null
/usr/bin/time -f "schedule --keep after a withdrawal: %e s" cotrain -w "$demo" schedule --keep --json > "$work/keep.json"
python3 - "$work/keep.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
moves = [m for m in d["moves"] if m["kind"] == "person"]
left = {m["who"] for m in moves if m["after"] is None}
came = {m["who"] for m in moves if m["before"] is None}
moved = {m["who"] for m in moves if m["before"] and m["after"]}
print(f"--keep: {len(left)} left, {len(came)} joined, {len(moved)} others moved, "
      f"{len(moves)} person moves; repeats {d['quality']['repeats']} (bound {d['quality']['lower_bound']})")
PY
