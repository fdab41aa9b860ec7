#!/bin/sh
# Regenerates src/playbook/embedded.rs and src/playbook/literals.txt from the files in playbooks/
# (run after adding or editing a playbook).
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
rustfmt --edition 2024 src/playbook/embedded.rs
# the prefilter literals of the built-in patterns (src/playbook/literals.txt)
SENTINEL_BLESS=1 cargo test --quiet --lib literal_table_is_current >/dev/null
# the built-in playbooks' specs, read ahead of time (src/playbook/specs.json)
SENTINEL_BLESS=1 cargo test --quiet --lib spec_table_is_current >/dev/null
