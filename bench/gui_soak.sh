#!/usr/bin/env bash
# A soak of the whole DDPM Studio window under Xvfb (the real xcb platform, not
# offscreen): bench/gui_soak trains and samples from the GUI in a loop for MINUTES and
# records memory (VmRSS / VmHWM), threads, open files and the GUI thread's lateness
# every 10 s; then a plot of RSS over time is drawn from the CSV.
#
#   bench/gui_soak.sh [build folder] [minutes] [out folder] [gui_soak options…]
#       e.g. bench/gui_soak.sh build/release 30 /tmp/soak
#            bench/gui_soak.sh build/release 60 /tmp/soak --fashion-every 1
#
# Writes OUT/gui_soak.csv, OUT/gui_soak.log and OUT/gui_soak_rss.png. Exit status: the
# soak's (non-zero on any error or an RSS floor rising more than 10 MB/hour after the warm-up).
# Settings go to a private XDG_CONFIG_HOME (and the program redirects QSettings to a
# temporary folder too), so the user's own settings are never touched.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build/release}"
minutes="${2:-30}"
out="${3:-$(mktemp -d)}"
soak="$build/bench/gui_soak"
[[ -x "$soak" ]] || { echo "gui_soak.sh: '$soak' not built (cmake -DDDPM_BUILD_BENCH=ON $build && cmake --build $build --target gui_soak)" >&2; exit 2; }
command -v xvfb-run >/dev/null || { echo "gui_soak.sh: xvfb-run is not installed (apt-get install xvfb)" >&2; exit 2; }
mkdir -p "$out"
config="$(mktemp -d)"
trap 'rm -rf "$config"' EXIT
export XDG_CONFIG_HOME="$config"
unset QT_QPA_PLATFORM  # xcb, on the Xvfb display

# Shorter runs get a shorter warm-up: 5 min, or a third of the run if that is less.
warmup=$(awk -v m="$minutes" 'BEGIN { w = m / 3; printf "%g", (w < 5 ? w : 5) }')
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
     "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)" |
  tee "$out/gui_soak.log"
status=0
xvfb-run -a -s "-screen 0 1600x1000x24" "$soak" --minutes "$minutes" --warmup-minutes "$warmup" \
  --csv "$out/gui_soak.csv" "${@:4}" 2>&1 | tee -a "$out/gui_soak.log" || status=$?
QT_QPA_PLATFORM=offscreen "$soak" --plot "$out/gui_soak.csv" "$out/gui_soak_rss.png" | tee -a "$out/gui_soak.log"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/gui_soak.log"
exit "$status"
