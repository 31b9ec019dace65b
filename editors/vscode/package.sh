#!/bin/sh
# Packages the VS Code extension as guichet-VERSION.vsix in the current
# folder: its one dependency (vscode-languageclient) is installed from npm
# and packed with @vscode/vsce, both in a temporary folder, so nothing is
# installed in the repository. Needs node and npm.
#
#     editors/vscode/package.sh
#     code --install-extension guichet-0.1.0.vsix
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

mkdir "$work/guichet"
cp "$here/package.json" "$here/extension.js" "$here/README.md" \
   "$here/language-configuration.json" "$here/test-language-configuration.json" \
   "$work/guichet/"
cp -r "$here/syntaxes" "$work/guichet/"
cd "$work/guichet"
npm install --omit=dev --no-audit --no-fund --loglevel=error
npx --yes @vscode/vsce@3 package --allow-missing-repository --skip-license \
    --out "$out"
