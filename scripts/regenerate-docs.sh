#!/usr/bin/env bash
# The one way to refresh the committed text that tests compare with what the tools print now (tests/OneBit.Docs.Tests,
# tests/OneBit.Conversion.Tests/InspectGoldenTests): every models/NAME/inspect.txt (`onebit inspect` of NAME.obnb), the
# inspect golden files of the conversion tests, and README.md's excerpts of those files (lines between the excerpt
# comment and the end of its code block, rewritten line by line from the files). Run it after changing what `inspect`
# prints, then read the diff it shows. Takes a few minutes (builds the CLI and the two test projects).
# Usage: scripts/regenerate-docs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build host-tools/OneBit.Cli -c Release -nologo -v q
onebit() { dotnet host-tools/OneBit.Cli/bin/Release/net10.0/onebit.dll "$@"; }
for dir in models/*/; do
  name=$(basename "$dir")
  [ -f "$dir$name.obnb" ] || { echo "skipped $dir: no $name.obnb" >&2; continue; }
  onebit inspect "$dir$name.obnb" > "${dir}inspect.txt"
done
ONEBIT_UPDATE_GOLDEN=1 dotnet test tests/OneBit.Conversion.Tests -c Release -nologo -v q --filter 'FullyQualifiedName~InspectGoldenTests'
ONEBIT_UPDATE_DOCS=1 dotnet test tests/OneBit.Docs.Tests -c Release -nologo -v q --filter 'FullyQualifiedName~ReadmeExcerptTests.ExcerptsMatchTheirFiles'
git --no-pager diff --stat -- models tests/OneBit.Conversion.Tests/Golden README.md
