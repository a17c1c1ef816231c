#!/usr/bin/env bash
# Fetch the Flyway command line and the PostgreSQL JDBC driver for the benchmark, with the
# versions pinned in bench/flyway/pom.xml, into bench/.cache/flyway/lib (gitignored).
# Run it as: java -cp 'bench/.cache/flyway/lib/*' org.flywaydb.commandline.Main ...
#
# Why Flyway 11.20.3 and not the newest 13.x: for 12.x and 13.x the command line's own
# dependencies are not all published to the central repository (13.12.0 needs
# flyway-command-mcp and flyway-core-utilities, which are absent there; the 12.11.0
# command-line POM is absent), so 11.20.3 is the newest release that resolves and runs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lib="$here/.cache/flyway/lib"
if ! command -v mvn >/dev/null; then
    echo "fetch_flyway.sh: mvn not found (apt-get install maven)" >&2
    exit 1
fi
rm -rf "$lib"
mkdir -p "$lib"
mvn -B -q -f "$here/flyway/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$lib"
ls "$lib"/flyway-commandline-*.jar >/dev/null
echo "Flyway jars in $lib:"
ls "$lib"
