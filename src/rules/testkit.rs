//! Test builders: the procedure's own example VNet, and small variations of it.

use crate::rules::cidr::{self, Ipv4Net};
use crate::rules::enums::SiteConnectionType;
use crate::rules::finding::Finding;
use crate::rules::model::{Fact, FactList, SiteRefFacts, SubnetFacts, VnetFacts};

pub fn net(s: &str) -> Ipv4Net {
    cidr::parse_strict(s).expect(s)
}

pub fn known(s: &str) -> Fact<String> {
    Fact::Known(s.to_owned())
}

pub fn list(items: &[&str]) -> FactList {
    Fact::Known(items.iter().map(|s| known(s)).collect())
}

pub fn site_ref(name: &str, connection_type: SiteConnectionType) -> SiteRefFacts {
    SiteRefFacts {
        name: known(name),
        connection_type: Fact::Known(connection_type),
    }
}

pub fn site_ref_unknown_type(name: &str) -> SiteRefFacts {
    SiteRefFacts {
        name: known(name),
        connection_type: Fact::Unknown,
    }
}

pub fn subnet(name: &str, prefix: &str) -> SubnetFacts {
    SubnetFacts {
        name: known(name),
        address_prefix: known(prefix),
    }
}

/// The VirtualNetworkSite of the procedure's step 2, fully known.
pub fn procedure_vnet() -> VnetFacts {
    VnetFacts {
        name: known("MyAzureVNET"),
        location: known("Central US"),
        address_space: list(&["10.17.159.192/26"]),
        subnets: Fact::Known(vec![
            subnet("Subnet-1", "10.17.159.192/27"),
            subnet("GatewaySubnet", "10.17.159.224/27"),
        ]),
        local_network_site_refs: Fact::Known(vec![site_ref(
            "MyLocalNetwork",
            SiteConnectionType::Dedicated,
        )]),
        vpn_client_address_pool: list(&[]),
    }
}

pub fn vnet_with_subnets(subnets: &[(&str, &str)]) -> VnetFacts {
    VnetFacts {
        subnets: Fact::Known(subnets.iter().map(|(n, p)| subnet(n, p)).collect()),
        ..procedure_vnet()
    }
}

pub fn vnet_with_refs(refs: Vec<SiteRefFacts>) -> VnetFacts {
    VnetFacts {
        local_network_site_refs: Fact::Known(refs),
        ..procedure_vnet()
    }
}

/// The procedure's VNet with a GatewaySubnet of another prefix (address space widened to hold it).
pub fn vnet_with_gateway_subnet(prefix: &str) -> VnetFacts {
    VnetFacts {
        address_space: list(&["10.17.0.0/16"]),
        ..vnet_with_subnets(&[("Subnet-1", "10.17.1.0/24"), ("GatewaySubnet", prefix)])
    }
}

/// The procedure's VNet, but for a plain Site-to-Site VNet (IPsec reference only).
pub fn s2s_vnet() -> VnetFacts {
    vnet_with_refs(vec![site_ref("MyLocalNetwork", SiteConnectionType::IPsec)])
}

/// `(rule id, path)` of a finding, for compact assertions.
pub type Id = (&'static str, String);

/// The [`Id`] of each finding.
pub fn ids(findings: &[Finding]) -> Vec<Id> {
    findings
        .iter()
        .map(|f| (f.rule.as_str(), f.path.to_string()))
        .collect()
}

/// Same as [`ids`] for an optional finding.
pub fn id(finding: &Option<Finding>) -> Option<Id> {
    finding
        .as_ref()
        .map(|f| (f.rule.as_str(), f.path.to_string()))
}

pub fn pair(rule: &'static str, path: &str) -> Id {
    (rule, path.to_owned())
}
