# Sourced by bin/chorus, bin/chorus-bench and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Keeps JAVA_HOME when it is new enough, else takes the newest JDK on PATH, under /usr/lib/jvm, /opt/java or /opt/jdk*.

chorus_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ && !seen {print $2; seen = 1}' | cut -d. -f1
}

chorus_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    local major
    major=$(chorus_java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 21 ]; then
      return 0
    fi
  fi
  local best="" best_major=0 dir major on_path=""
  # The javac on PATH too: SDKMAN, a tarball under /usr/local or a JDK installed by hand lives in none of the folders.
  if command -v javac >/dev/null 2>&1; then
    on_path=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")/
  fi
  for dir in ${on_path:+"$on_path"} /usr/lib/jvm/*/ /opt/java/*/ /opt/jdk*/; do
    dir=${dir%/}
    [ -x "$dir/bin/javac" ] || continue
    major=$(chorus_java_major "$dir")
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best=$dir
      best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "chorus: no JDK 21 or newer found. Install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME=$best
}

chorus_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own libraries (Guava) use sun.misc.Unsafe, which JDK 24 and later warn about on every build. The option
# that allows it quietly exists from JDK 23 on; an older JVM would refuse to start with it.
if [ "$(chorus_java_major "$JAVA_HOME")" -ge 23 ]; then
  case " ${MAVEN_OPTS:-} " in
    *sun-misc-unsafe-memory-access*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;;
  esac
fi
