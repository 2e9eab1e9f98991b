#!/usr/bin/env bash
# Makes a self-signed development certificate for localhost / 127.0.0.1 (never commit the key: .gitignore
# keeps certs/*.key out). Then set server.tls in routes.yaml:
#   tls: { cert: certs/server.crt, key: certs/server.key }
# Rotate in production by replacing both files and sending SIGHUP to hookgate.
set -euo pipefail
cd "$(dirname "$0")"
openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout server.key -out server.crt 2>/dev/null
chmod 600 server.key
echo "wrote $(pwd)/server.crt and $(pwd)/server.key"
