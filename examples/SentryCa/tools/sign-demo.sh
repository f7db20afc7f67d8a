#!/usr/bin/env bash
# Signs one workload CSR with a running SentryCa and checks the returned chain with openssl.
#
#   sign-demo.sh [BASE_URL] [IDENTITY] [CA_CRT]
#
#   BASE_URL  where SentryCa listens (default http://127.0.0.1:5090)
#   IDENTITY  the SPIFFE ID to ask for (default spiffe://cluster.local/ns/default/demo)
#   CA_CRT    the trust root to verify against (default examples/SentryCa/credentials/ca.crt); skipped if missing
#
# Needs openssl, curl and python3 (for the JSON). Prints the issued certificate's subject, SAN and validity, and
# exits non-zero if signing or verification fails. Extra curl options (e.g. --cacert for HTTPS) go in CURL_OPTS.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
url=${1:-http://127.0.0.1:5090}
identity=${2:-spiffe://cluster.local/ns/default/demo}
ca_crt=${3:-$here/../credentials/ca.crt}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl ecparam -name prime256v1 -genkey -noout -out "$work/workload.key" 2>/dev/null
openssl req -new -key "$work/workload.key" -subj "/O=sentry-demo" \
  -addext "subjectAltName=URI:$identity" -out "$work/workload.csr"

python3 - "$work/workload.csr" "$identity" > "$work/request.json" <<'PY'
import json, sys
print(json.dumps({"csr": open(sys.argv[1]).read(), "identity": sys.argv[2], "ttlSeconds": 3600}))
PY

status=$(curl -sS ${CURL_OPTS:-} -o "$work/response.json" -w '%{http_code}' \
  -H 'Content-Type: application/json' --data-binary "@$work/request.json" "$url/v1/sign")
if [ "$status" != 200 ]; then
  echo "sign failed: HTTP $status $(cat "$work/response.json")" >&2
  exit 1
fi

python3 - "$work/response.json" "$work" <<'PY'
import json, re, sys
chain = json.load(open(sys.argv[1]))["certificateChain"]
blocks = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n?", chain, re.S)
open(sys.argv[2] + "/workload.crt", "w").write(blocks[0])
open(sys.argv[2] + "/intermediates.pem", "w").write("".join(blocks[1:]))
PY

openssl x509 -in "$work/workload.crt" -noout -subject -enddate -ext subjectAltName
if [ -f "$ca_crt" ]; then
  openssl verify -CAfile "$ca_crt" -untrusted "$work/intermediates.pem" "$work/workload.crt"
else
  echo "($ca_crt not found: chain not verified)"
fi
