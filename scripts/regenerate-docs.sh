#!/usr/bin/env bash
# The one way to refresh the committed text that tests compare with what the tools print now (tests/OneBit.Docs.Tests,
# tests/OneBit.Conversion.Tests/InspectGoldenTests): every models/NAME/inspect.txt (`onebit inspect` of NAME.obnb), the
# inspect golden files of the conversion tests, and README.md's excerpts of those files (lines between the excerpt
# comment and the end of its code block, rewritten line by line from the files). Run it after changing what `inspect`
# prints, then read the diff it shows. Takes a few minutes (builds the CLI and the two test projects).
# Not rewritten here: the device-heap figures written in prose and tables (models/README.md, models/*/README.md,
# README.md). They are edited by hand; tests/OneBit.Docs.Tests/DeviceHeapFigureTests.cs checks them against the
# inspect.txt files and names each figure that differs; the script runs it last.
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
dotnet test tests/OneBit.Docs.Tests -c Release -nologo -v q --no-build --filter 'FullyQualifiedName~DeviceHeapFigureTests' \
  || echo "regenerate-docs.sh: edit by hand the device-heap figures named above" >&2
git --no-pager diff --stat -- models tests/OneBit.Conversion.Tests/Golden README.md
