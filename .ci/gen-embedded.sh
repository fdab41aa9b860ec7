#!/bin/sh
# Regenerates src/playbook/embedded.rs from the files in playbooks/ (run after adding a playbook).
set -eu
cd "$(dirname "$0")/.."
{
  echo '//! The built-in playbooks, embedded at build time. A test fails when a file in `playbooks/` is'
  echo '//! missing from this list; regenerate it with `.ci/gen-embedded.sh`.'
  echo ''
  echo '/// (file name, text)'
  echo 'pub const FILES: &[(&str, &str)] = &['
  for f in playbooks/*.yaml; do
    n=$(basename "$f")
    echo "    (\"$n\", include_str!(\"../../playbooks/$n\")),"
  done
  echo '];'
} > src/playbook/embedded.rs
