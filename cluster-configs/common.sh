# Shared by cluster-configs/local-cluster and cluster-configs/submit (sourced, not run).
# Finds or builds the cluster jar and the Maven-resolved Spark classpath, so neither a Spark
# download nor an installed grokgrid is needed.

CC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$CC_DIR/.." && pwd)"
JOBS_TARGET="$ROOT/jobs/target"
# Spark, Scala and their dependencies (the 'provided' scope of jobs), written by `mvn package`
SPARK_CP_FILE="$JOBS_TARGET/spark.classpath"
# local-cluster's state: pid files, logs, the secret, a Spark home, worker directories.
# Under cluster-configs/ rather than the root target/, so `mvn clean` cannot pull it away
# from under running daemons.
STATE="${GROKGRID_LOCAL_CLUSTER_DIR:-$CC_DIR/target/local-cluster}"
# the --add-opens flags Spark 4 needs on Java 17: one copy, in the parent POM
SPARK_JVM_FLAGS=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$ROOT/pom.xml")

die() { echo "$(basename "$0"): $*" >&2; exit 2; }

# the built cluster jar, or nothing
cluster_jar() {
  local f
  for f in "$JOBS_TARGET"/grokgrid-jobs-*-cluster.jar; do
    [[ -f "$f" ]] && echo "$f" && return 0
  done
  return 0
}

# Builds (mvn package, no tests) when the cluster jar or the Spark classpath is missing or older
# than a POM or a main source file.
ensure_build() {
  local jar
  jar=$(cluster_jar)
  if [[ -n "$jar" && -f "$SPARK_CP_FILE" && "${GROKGRID_REBUILD:-0}" != 1 && -z "$(find "$ROOT/pom.xml" \
      "$ROOT"/engine/pom.xml "$ROOT"/analysis/pom.xml "$ROOT"/jobs/pom.xml "$ROOT"/engine/src/main \
      "$ROOT"/analysis/src/main "$ROOT"/jobs/src/main -newer "$jar" -print -quit 2>/dev/null)" ]]; then
    return 0
  fi
  command -v mvn >/dev/null || die "Maven (mvn) is needed to build the cluster jar; install it and retry"
  echo "[grokgrid] building the cluster jar with Maven (first use or changed sources; a minute or two) ..." >&2
  mkdir -p "$JOBS_TARGET"
  local log="$JOBS_TARGET/cluster-build.log"
  (cd "$ROOT" && mvn -B -Dmaven.test.skip=true package -pl jobs -am) >"$log" 2>&1 \
    || { tail -n 40 "$log" >&2; die "build failed (full log: $log)"; }
  [[ -f "$SPARK_CP_FILE" && -n "$(cluster_jar)" ]] || die "build did not produce the cluster jar (log: $log)"
}

# A Spark home made of links to the Maven-resolved Spark jars: what Spark's worker needs to build
# its executors' classpath (it lists $SPARK_HOME/jars) and what spark-submit's launcher expects.
ensure_spark_home() {
  local home="$STATE/spark-home"
  rm -rf "$home/jars"
  mkdir -p "$home/jars" "$home/conf"
  # the executors' logging ($SPARK_HOME/conf is on their classpath)
  cp "$CC_DIR/conf/log4j2.properties" "$home/conf/"
  local jar
  # (the file has no final newline: read's status is ignored for the last entry)
  tr ':' '\n' <"$SPARK_CP_FILE" | while IFS= read -r jar || [[ -n "$jar" ]]; do
    [[ -n "$jar" ]] && ln -sf "$jar" "$home/jars/$(basename "$jar")"
  done
  echo "$home"
}
