# Sourced by run.sh for --aot: JDK 25's ahead-of-time cache (JEP 483/514/515), which roughly halves a
# service's start-up here (docs/performance/README.md, "Start-up"). The cache holds classes loaded
# and linked by a training run; it needs the classes on a plain class path, so the Boot jar is
# extracted first (Boot's nested jars are not cached). Built once per jar, in .run/aot/<service>/.

aot_supported() {
  [ "$(java_major "$JAVA_HOME")" -ge 25 ] 2>/dev/null
}

# aot_prepare NAME JAR LOG: extracts JAR and trains its cache on one start-up of the service, unless the
# cache is newer than JAR; then sets aot_args to the java arguments that start the service from them.
aot_prepare() {
  local name=$1 jar=$2 log=$3 dir="$root/.run/aot/$1"
  if [ ! -f "$dir/$name.aot" ] || [ "$jar" -nt "$dir/$name.aot" ]; then
    echo "Training the ahead-of-time cache of $name (once per build)..."
    rm -rf "$dir"
    java -Djarmode=tools -jar "$jar" extract --destination "$dir/app" >"$log" 2>&1
    # spring.context.exit=onRefresh: start the context, then exit, writing the cache on the way out.
    java -Xmx512m -XX:AOTCacheOutput="$dir/$name.aot" -Dspring.context.exit=onRefresh \
      -jar "$(ls "$dir"/app/*.jar)" >>"$log" 2>&1 || true
    if [ ! -f "$dir/$name.aot" ]; then
      echo "No cache was written for $name (see $log): it starts without one." >&2
    fi
  fi
  aot_args=(-jar "$(ls "$dir"/app/*.jar)")
  [ -f "$dir/$name.aot" ] && aot_args=(-XX:AOTCache="$dir/$name.aot" "${aot_args[@]}")
  return 0
}
