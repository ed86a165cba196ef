#!/usr/bin/env bash
# Installs the alert index template (ECS types: source.ip as ip, times as dates, names as keywords) into an
# Elasticsearch 7.8+ or OpenSearch 1+ cluster, before the first alert creates an index.
#   deploy/search/install-template.sh http://localhost:9200 [curl options, e.g. -u user:password --cacert ca.pem]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
url="${1:?usage: $0 URL [curl options]}"
shift
curl -sS --fail-with-body -X PUT "$url/_index_template/scanwatch-alerts" -H 'Content-Type: application/json' \
  --data-binary "@$here/scanwatch-alerts-template.json" "$@"
echo
