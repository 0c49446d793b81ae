#!/usr/bin/env bash
# Build the VS Code extension as a .vsix (not committed). The extension's files and the grammar
# are staged in a temporary folder, its one dependency installed there, and vsce packages it;
# nothing is written inside the repository but the .vsix (or where OUTPUT says).
# Needs node and npm, and the npm registry the first time.
# Usage: editors/vscode/package.sh [OUTPUT.vsix]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="$(node -p "require('$here/package.json').version")"
out="$(realpath -m "${1:-$here/sla-lang-$version.vsix}")"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp "$here/package.json" "$here/extension.js" "$here/language-configuration.json" "$here/README.md" "$stage/"
mkdir "$stage/syntaxes"
cp "$here/../sla.tmLanguage.json" "$stage/syntaxes/sla.tmLanguage.json"
cd "$stage"
npm install --omit=dev --no-audit --no-fund --no-package-lock --loglevel=error
npx --yes @vscode/vsce@3 package --allow-missing-repository --skip-license --out "$out"
echo "built $out"
