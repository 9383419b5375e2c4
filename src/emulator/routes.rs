//! Maps a request path to the resource it names (asm-api.md sections 0-5).

/// A resource of one subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `services/networking/media`
    Netcfg,
    /// `operations/{request-id}` (style A)
    SubscriptionOperation(String),
    /// `services/networking/operation/{id}` (style B)
    GatewayOperation(String),
    /// `services/networking/virtualnetwork`
    VirtualNetworkSites,
    /// `services/networking/{vnet}/gateway`
    VnetGateway(String),
    /// `services/networking/{vnet}/virtualnetworkgateways` (create)
    VnetVirtualNetworkGateways(String),
    /// `services/networking/virtualnetworkgateways`
    VirtualNetworkGateways,
    /// `services/networking/virtualnetworkgateways/{id}`
    VirtualNetworkGateway(String),
    /// `services/networking/localnetworkgateways`
    LocalNetworkGateways,
    /// `services/networking/localnetworkgateways/{id}`
    LocalNetworkGateway(String),
    /// `services/networking/gatewayconnections`
    GatewayConnections,
    /// `services/networking/gatewayconnections/virtualnetworkgateway/{gw}/connectedentity/{entity}`
    GatewayConnection {
        gateway_id: String,
        entity_id: String,
    },
    /// `services/networking/dedicatedcircuits`
    DedicatedCircuits,
    /// `services/networking/dedicatedcircuits/{key}`
    DedicatedCircuit(String),
    /// `services/networking/dedicatedcircuits/{key}/vnets`
    DedicatedCircuitLinks(String),
    /// `services/networking/dedicatedcircuits/{key}/vnets/{vnet}`
    DedicatedCircuitLink { service_key: String, vnet: String },
}

/// Splits `/{subscription}/...` into the subscription id and its route; `None` for unknown paths.
pub fn parse(path: &str) -> Option<(String, Route)> {
    let segments: Vec<String> = path
        .trim_start_matches('/')
        .split('/')
        .map(percent_decode)
        .collect::<Option<_>>()?;
    let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
    let (sub, rest) = seg.split_first()?;
    if sub.is_empty() {
        return None;
    }
    let s = |v: &str| v.to_string();
    let route = match rest {
        ["operations", id] => Route::SubscriptionOperation(s(id)),
        ["services", "networking", tail @ ..] => match tail {
            ["media"] => Route::Netcfg,
            ["operation", id] => Route::GatewayOperation(s(id)),
            ["virtualnetwork"] => Route::VirtualNetworkSites,
            ["virtualnetworkgateways"] => Route::VirtualNetworkGateways,
            ["virtualnetworkgateways", id] => Route::VirtualNetworkGateway(s(id)),
            ["localnetworkgateways"] => Route::LocalNetworkGateways,
            ["localnetworkgateways", id] => Route::LocalNetworkGateway(s(id)),
            ["gatewayconnections"] => Route::GatewayConnections,
            ["gatewayconnections", "virtualnetworkgateway", gw, "connectedentity", entity] => {
                Route::GatewayConnection {
                    gateway_id: s(gw),
                    entity_id: s(entity),
                }
            }
            ["dedicatedcircuits"] => Route::DedicatedCircuits,
            ["dedicatedcircuits", key] => Route::DedicatedCircuit(s(key)),
            ["dedicatedcircuits", key, "vnets"] => Route::DedicatedCircuitLinks(s(key)),
            ["dedicatedcircuits", key, "vnets", vnet] => Route::DedicatedCircuitLink {
                service_key: s(key),
                vnet: s(vnet),
            },
            [vnet, "gateway"] => Route::VnetGateway(s(vnet)),
            [vnet, "virtualnetworkgateways"] => Route::VnetVirtualNetworkGateways(s(vnet)),
            _ => return None,
        },
        _ => return None,
    };
    if route_has_empty_segment(&seg) {
        return None;
    }
    Some((s(sub), route))
}

fn route_has_empty_segment(seg: &[&str]) -> bool {
    seg.iter().any(|s| s.is_empty())
}

/// Decodes `%XX` escapes; `None` for a malformed escape or non-UTF-8 result.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_documented_path() {
        let cases = [
            ("/s/services/networking/media", Route::Netcfg),
            ("/s/operations/abc", Route::SubscriptionOperation("abc".into())),
            ("/s/services/networking/operation/x", Route::GatewayOperation("x".into())),
            ("/s/services/networking/virtualnetwork", Route::VirtualNetworkSites),
            ("/s/services/networking/My%20VNet/gateway", Route::VnetGateway("My VNet".into())),
            (
                "/s/services/networking/v/virtualnetworkgateways",
                Route::VnetVirtualNetworkGateways("v".into()),
            ),
            ("/s/services/networking/virtualnetworkgateways", Route::VirtualNetworkGateways),
            (
                "/s/services/networking/virtualnetworkgateways/g",
                Route::VirtualNetworkGateway("g".into()),
            ),
            ("/s/services/networking/localnetworkgateways", Route::LocalNetworkGateways),
            (
                "/s/services/networking/localnetworkgateways/l",
                Route::LocalNetworkGateway("l".into()),
            ),
            ("/s/services/networking/gatewayconnections", Route::GatewayConnections),
            (
                "/s/services/networking/gatewayconnections/virtualnetworkgateway/g/connectedentity/e",
                Route::GatewayConnection {
                    gateway_id: "g".into(),
                    entity_id: "e".into(),
                },
            ),
            ("/s/services/networking/dedicatedcircuits", Route::DedicatedCircuits),
            ("/s/services/networking/dedicatedcircuits/k", Route::DedicatedCircuit("k".into())),
            (
                "/s/services/networking/dedicatedcircuits/k/vnets",
                Route::DedicatedCircuitLinks("k".into()),
            ),
            (
                "/s/services/networking/dedicatedcircuits/k/vnets/v",
                Route::DedicatedCircuitLink {
                    service_key: "k".into(),
                    vnet: "v".into(),
                },
            ),
        ];
        for (path, route) in cases {
            assert_eq!(parse(path), Some(("s".to_string(), route)), "{path}");
        }
    }

    #[test]
    fn rejects_unknown_and_malformed_paths() {
        for path in [
            "/",
            "//services/networking/media",
            "/s/services/networking",
            "/s/services/networking/a/b/c",
            "/s/services/networking//gateway",
            "/s/services/networking/bad%zz/gateway",
            "/s/services/networking/%ff/gateway",
        ] {
            assert_eq!(parse(path), None, "{path}");
        }
    }
}
