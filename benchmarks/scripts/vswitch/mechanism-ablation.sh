#!/usr/bin/env bash
# Hyper-Switch mechanism ablation (VS-D9): 1, 2, 4, 8 endpoint pairs x 1 and 64 flows per pair,
# with every mechanism on, each one off in turn, and all off; frames/s delivered and process CPU
# per frame. Writes the CSV (stdout), a Markdown table (stderr) and a PNG chart.
#
#   mvn -B -q -DskipTests package        # builds benchmarks/target/benchmarks.jar
#   benchmarks/scripts/vswitch/mechanism-ablation.sh [SECONDS_PER_POINT=2] [PNG=mechanism-ablation.png] > run.csv
#   benchmarks/scripts/vswitch/mechanism-ablation.sh run.csv [PNG]   # redraws the table and chart of a run
#
# Run it with nothing else on the machine (e.g. under /work/tools/quiet-run): it measures CPU time.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../.." && pwd)"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
[[ -f "$JAR" ]] || { echo "missing $JAR: run 'mvn -B -q -DskipTests package' first" >&2; exit 2; }
# The switch's flags (the same as the parent pom's hostplane.jvm.flags.vswitch): Agrona internals, JNA.
exec java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true -Xms512m -Xmx512m \
    -cp "$JAR" dev.hostplane.benchmarks.vswitch.MechanismAblation "${1:-2}" "${2:-mechanism-ablation.png}"
