#!/usr/bin/env bash
# Creates the "existing" VNet of the procedure's second path in the classic API, the way a user did it
# before Terraform (by hand, with PowerShell or another tool): a network configuration whose VNet has a
# /28 GatewaySubnet and a Dedicated (ExpressRoute) site reference, its ExpressRoute gateway, and the
# gateway's link to the ExpressRoute circuit. Plain wire calls (asm-api.md sections 1, 3, 5), nothing
# through Terraform.
#
# Environment:
#   AZURE_MANAGEMENT_URL   the API's base URL, e.g. http://127.0.0.1:7080 (the emulator, plain HTTP)
#   AZURE_SUBSCRIPTION_ID  the subscription; it must have no network configuration yet
#   CIRCUIT_SERVICE_KEY    service key of a provisioned ExpressRoute circuit (the emulator's --circuit)
#   VNET_NAME              default MyAzureVNET;  LOCATION  default "Central US"
#   POLL_SECONDS           pause between status polls, default 0.2 (the real service: 30)
#   POLL_LIMIT             polls before giving up on one operation, default 600
#
# Prints, last, the three ids `terraform import` needs: vnet, gateway (GatewayId) and link.
set -euo pipefail

: "${AZURE_MANAGEMENT_URL:?set AZURE_MANAGEMENT_URL (the emulator prints it at start)}"
: "${AZURE_SUBSCRIPTION_ID:?set AZURE_SUBSCRIPTION_ID}"
: "${CIRCUIT_SERVICE_KEY:?set CIRCUIT_SERVICE_KEY to the service key of the ExpressRoute circuit}"
vnet="${VNET_NAME:-MyAzureVNET}"
# The name goes into URL paths unescaped: keep to the characters that need no escaping.
[[ "$vnet" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "setup-existing: VNET_NAME must be letters, digits, . _ -" >&2; exit 1; }
location="${LOCATION:-Central US}"
poll_seconds="${POLL_SECONDS:-0.2}"
poll_limit="${POLL_LIMIT:-600}"

base="${AZURE_MANAGEMENT_URL%/}/${AZURE_SUBSCRIPTION_ID}"
network_version="2016-07-01"
expressroute_version="2011-10-01"
work=$(mktemp -d "${TMPDIR:-/tmp}/azureclassic-setup.XXXXXX")
trap 'rm -rf "$work"' EXIT

say() { printf '==> %s\n' "$*" >&2; }
fail() { printf 'setup-existing: %s\n' "$*" >&2; exit 1; }

# call METHOD PATH VERSION [BODY_FILE]: sets $status; the body is in $work/body, headers in $work/headers.
call() {
  local method=$1 path=$2 version=$3 body=${4:-}
  local args=(-sS --max-time 60 -X "$method" -H "x-ms-version: $version" \
    -D "$work/headers" -o "$work/body" -w '%{http_code}')
  if [ -n "$body" ]; then
    args+=(-H 'Content-Type: application/xml' --data-binary "@$body")
  elif [ "$method" = POST ]; then
    args+=(-H 'Content-Length: 0')
  fi
  status=$(curl "${args[@]}" "$base/$path") || fail "$method $path: no answer from $base"
}

# element NAME: the text of the first <NAME> element of the last answer.
element() {
  sed -n "s:.*<$1>\([^<]*\)</$1>.*:\1:p" "$work/body" | head -n 1
}

expect() {
  local want=$1 what=$2
  [ "$status" = "$want" ] || fail "$what: HTTP $status, expected $want: $(cat "$work/body")"
}

# wait_for PATH VERSION DONE: polls an operation until its Status is DONE (style A: Succeeded,
# style B: Successful); a Failed operation stops the script with the service's message.
wait_for() {
  local path=$1 version=$2 done=$3 state
  for _ in $(seq 1 "$poll_limit"); do
    call GET "$path" "$version"
    expect 200 "GET $path"
    state=$(element Status)
    case "$state" in
      "$done") return 0 ;;
      InProgress) sleep "$poll_seconds" ;;
      *) fail "operation $path ended $state: $(element Message)" ;;
    esac
  done
  fail "operation $path still in progress after $poll_limit polls"
}

# Style B answers carry the operation's dashed ID in the body.
wait_for_gateway_operation() {
  local id
  id=$(element ID)
  [ -n "$id" ] || fail "no operation ID in the answer: $(cat "$work/body")"
  wait_for "services/networking/operation/$id" "$1" Successful
}

say "Checking that the subscription has no network configuration (the PUT replaces the whole document)"
call GET services/networking/media "$network_version"
[ "$status" = 404 ] || fail "subscription $AZURE_SUBSCRIPTION_ID already has a network configuration (HTTP $status); use an empty subscription"

say "PUT the network configuration: $vnet with a /28 GatewaySubnet and a Dedicated site reference"
cat >"$work/netcfg.xml" <<XML
<NetworkConfiguration xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.microsoft.com/ServiceHosting/2011/07/NetworkConfiguration">
  <VirtualNetworkConfiguration>
    <VirtualNetworkSites>
      <VirtualNetworkSite name="$vnet" Location="$location">
        <AddressSpace>
          <AddressPrefix>10.17.159.192/26</AddressPrefix>
        </AddressSpace>
        <Subnets>
          <Subnet name="Subnet-1">
            <AddressPrefix>10.17.159.192/27</AddressPrefix>
          </Subnet>
          <Subnet name="GatewaySubnet">
            <AddressPrefix>10.17.159.224/28</AddressPrefix>
          </Subnet>
        </Subnets>
        <Gateway>
          <ConnectionsToLocalNetwork>
            <LocalNetworkSiteRef name="MyLocalNetwork">
              <Connection type="Dedicated" />
            </LocalNetworkSiteRef>
          </ConnectionsToLocalNetwork>
        </Gateway>
      </VirtualNetworkSite>
    </VirtualNetworkSites>
  </VirtualNetworkConfiguration>
</NetworkConfiguration>
XML
call PUT services/networking/media "$network_version" "$work/netcfg.xml"
expect 202 "PUT services/networking/media"
# Style A: the operation is named by the x-ms-request-id header.
request_id=$(sed -n 's/^x-ms-request-id:[[:space:]]*\([0-9a-fA-F-]*\).*/\1/Ip' "$work/headers" | head -n 1)
[ -n "$request_id" ] || fail "the network configuration PUT answered without x-ms-request-id"
wait_for "operations/$request_id" "$network_version" Succeeded

say "POST the ExpressRoute gateway of $vnet (HighPerformance, DynamicRouting)"
cat >"$work/gateway.xml" <<XML
<CreateGatewayParameters xmlns="http://schemas.microsoft.com/windowsazure">
  <GatewaySize>HighPerformance</GatewaySize>
  <gatewayType>DynamicRouting</gatewayType>
</CreateGatewayParameters>
XML
call POST "services/networking/$vnet/gateway" "$network_version" "$work/gateway.xml"
expect 201 "POST services/networking/$vnet/gateway"
wait_for_gateway_operation "$network_version"
call GET "services/networking/$vnet/gateway" "$network_version"
expect 200 "GET services/networking/$vnet/gateway"
[ "$(element State)" = Provisioned ] || fail "the gateway is $(element State), not Provisioned"
gateway_id=$(element GatewayId)

say "POST the circuit link of $vnet to circuit $CIRCUIT_SERVICE_KEY"
link_path="services/networking/dedicatedcircuits/$CIRCUIT_SERVICE_KEY/vnets/$vnet"
call POST "$link_path?api-version=1.0" "$expressroute_version"
expect 202 "POST $link_path"
wait_for_gateway_operation "$network_version"
call GET "$link_path?api-version=1.0" "$expressroute_version"
expect 200 "GET $link_path"
[ "$(element State)" = Provisioned ] || fail "the circuit link is $(element State), not Provisioned"

say "Done. Import ids:"
printf 'vnet=%s\ngateway=%s\nlink=%s/%s\n' "$vnet" "$gateway_id" "$CIRCUIT_SERVICE_KEY" "$vnet"
