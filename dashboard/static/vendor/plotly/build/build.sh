#!/bin/sh
# Rebuild ../plotly-qj.min.js from the npm packages pinned in package.json (needs node and the network once).
# The output is committed; the app never builds or downloads anything at run time.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$here/entry.js" "$work/"
cd "$work"
npm ci --silent --no-audit --no-fund
npx esbuild entry.js --bundle --minify --format=iife --global-name=Plotly --target=es2016 \
    --define:global=window --define:define.amd=false --legal-comments=eof \
    --outfile="$work/out.js" --log-level=warning
cp "$work/out.js" "$here/../plotly-qj.min.js"
cp node_modules/plotly.js/LICENSE "$here/../LICENSE"
sha256sum "$here/../plotly-qj.min.js"
