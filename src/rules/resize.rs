//! CX-RESIZE: a gateway is bound to the GatewaySubnet it was built on; the service refuses to
//! change that subnet while a gateway uses it, so a new GatewaySubnet prefix means deleting and
//! recreating the gateway. The provider records the prefix a gateway was built on and, at plan,
//! compares it with the VNet's planned GatewaySubnet to mark the gateway for replacement.

use crate::rules::cidr::Ipv4Net;
use crate::rules::finding::{AttrPath, Explanation, Finding, RuleId};
use crate::rules::model::Fact;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResizeDecision {
    /// The planned GatewaySubnet is the one the gateway was built on.
    Keep,
    /// The gateway must be deleted and recreated; the finding explains the plan (a warning).
    Replace(Finding),
    /// The planned GatewaySubnet is not known yet: decide again at apply.
    Unknown,
}

/// `built_on`: the GatewaySubnet prefix the existing gateway was created on. `planned`: the VNet's
/// planned GatewaySubnet prefix (`Known(None)` if the VNet will have none).
pub fn gateway_resize(built_on: Ipv4Net, planned: Fact<Option<Ipv4Net>>) -> ResizeDecision {
    let planned = match planned {
        Fact::Unknown => return ResizeDecision::Unknown,
        Fact::Known(Some(p)) if p == built_on => return ResizeDecision::Keep,
        Fact::Known(p) => p,
    };
    let to = planned.map_or_else(|| "no GatewaySubnet".to_owned(), |p| p.to_string());
    ResizeDecision::Replace(Finding::warning(
        RuleId::Resize,
        AttrPath::of("virtual_network_name"),
        &format!("the GatewaySubnet changes from {built_on} to {to}, so this gateway is deleted and recreated"),
        Explanation {
            value: &format!("The gateway was built on GatewaySubnet {built_on}; the virtual network now plans {to}."),
            why: "A GatewaySubnet cannot be changed while a gateway uses it: the procedure deletes \
                  the gateway, resizes the subnet, then creates the gateways and connections again, \
                  with downtime for cross-premises traffic.",
            fix: "nothing to change if the resize is intended: this plan deletes the gateway and its \
                  dependants, updates the virtual network, and recreates them in that order.",
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    #[test]
    fn resize_table() {
        let old = net("10.17.159.240/28");
        assert_eq!(
            gateway_resize(old, Fact::Known(Some(old))),
            ResizeDecision::Keep
        );
        assert_eq!(gateway_resize(old, Fact::Unknown), ResizeDecision::Unknown);
        for planned in [Some(net("10.17.159.224/27")), None] {
            match gateway_resize(old, Fact::Known(planned)) {
                ResizeDecision::Replace(f) => {
                    assert_eq!(
                        id(&Some(f.clone())),
                        Some(pair("CX-RESIZE", "virtual_network_name"))
                    );
                    assert!(!f.is_error());
                    assert!(f.summary.contains("from 10.17.159.240/28"), "{}", f.summary);
                }
                other => panic!("expected Replace for {planned:?}, got {other:?}"),
            }
        }
    }
}
