# Sourced by the local server scripts: the classpath of a pom's runtime dependencies, built once by Maven and kept
# in a state directory. Maven's output goes to a log and, when it fails, to standard error: callers run it in $(...).
#   maven_classpath <pom> <classpath file> <what, for messages>
maven_classpath() {
  local pom=$1 file=$2 what=$3 root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  if [ ! -s "$file" ]; then
    mkdir -p "$(dirname "$file")"
    if ! "$root/mvnw" -B -ntp -f "$pom" dependency:build-classpath \
      -DincludeScope=runtime -Dmdep.outputFile="$file" >"$file.maven.log" 2>&1; then
      grep -E '\[ERROR\]' "$file.maven.log" >&2 || tail -20 "$file.maven.log" >&2
      echo "could not fetch $what from Maven Central; the whole log is $file.maven.log" >&2
      rm -f "$file"
      exit 1
    fi
  fi
  cat "$file"
}
