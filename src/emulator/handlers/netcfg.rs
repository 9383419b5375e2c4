//! `services/networking/media` (the network configuration, async style A) and
//! `services/networking/virtualnetwork` (the VNets derived from it), asm-api.md sections 1 and 2.

use super::{
    applied_netcfg, check_conflict, new_id, read, start_operation, wrote, xml, Ctx, OpSpec,
    Outcome, Reply,
};
use crate::asm::xml::messages::{
    List, VirtualNetworkSiteInfo, VnetGatewayInfo, VnetLocalSiteInfo, VnetSubnetInfo,
};
use crate::asm::xml::netcfg::{NetworkConfiguration, VirtualNetworkSite};
use crate::emulator::coexistence;
use crate::emulator::config::OpKind;
use crate::emulator::error::ApiError;
use crate::emulator::operations::{Effect, Hold, Style};
use crate::emulator::state::Subscription;
use hyper::Method;
use std::collections::{BTreeMap, BTreeSet};

pub fn handle(sub: &mut Subscription, ctx: &Ctx<'_>, method: &Method, body: &[u8]) -> Outcome {
    match *method {
        Method::GET => match sub.netcfg_xml() {
            Some(xml) => read(Reply::Text(200, xml.to_string())),
            None => Err(ApiError::no_netcfg()),
        },
        Method::PUT => put(sub, ctx, body),
        _ => Err(ApiError::method_not_allowed()),
    }
}

fn put(sub: &mut Subscription, ctx: &Ctx<'_>, body: &[u8]) -> Outcome {
    let text = std::str::from_utf8(body).map_err(|_| ApiError::invalid_xml())?;
    let new = NetworkConfiguration::parse(text)?.normalized();
    let new_sites = sites_by_name(&new)?;
    let old_sites = sites_by_name(&applied_netcfg(sub))?;

    let changed: BTreeSet<&String> = old_sites
        .keys()
        .chain(new_sites.keys())
        .filter(|name| old_sites.get(*name) != new_sites.get(*name))
        .collect();
    let mut holds = vec![Hold::Netcfg];
    holds.extend(changed.iter().map(|n| Hold::Vnet((*n).clone())));
    check_conflict(sub, &holds)?;

    for name in &changed {
        let (old, new) = (old_sites.get(*name), new_sites.get(*name));
        match (old, new) {
            (Some(_), None) if sub.vnet_in_use(name) => {
                return Err(ApiError::bad_request(format!(
                    "The virtual network '{name}' cannot be removed while it has gateways or circuit links; delete them first."
                )))
            }
            (Some(old), Some(new))
                if sub.has_gateway(name) && old.gateway_subnet() != new.gateway_subnet() =>
            {
                return Err(ApiError::subnet_in_use());
            }
            _ => {}
        }
    }

    let xml = new.to_xml();
    let mut proposed = sub.clone();
    proposed.set_netcfg(xml.clone());
    coexistence::check(sub, &proposed)?;

    // VnetIds stay stable for as long as a VNet exists; new VNets get theirs now, so completing the
    // operation (perhaps after a restart) is deterministic.
    let vnet_ids: BTreeMap<String, String> = new_sites
        .keys()
        .map(|name| {
            let id = sub.vnet_ids.get(name).cloned().unwrap_or_else(new_id);
            (name.clone(), id)
        })
        .collect();
    start_operation(
        sub,
        ctx,
        OpSpec {
            style: Style::Subscription,
            name: "",
            kind: OpKind::Netcfg,
            holds,
            effect: Effect::ApplyNetcfg { xml, vnet_ids },
        },
    );
    wrote(Reply::Empty(202))
}

fn sites_by_name(
    cfg: &NetworkConfiguration,
) -> Result<BTreeMap<String, VirtualNetworkSite>, ApiError> {
    let mut sites = BTreeMap::new();
    for site in cfg.virtual_network_sites() {
        let name = site.name.clone();
        if sites.insert(name.clone(), site).is_some() {
            return Err(ApiError::bad_request(format!(
                "The network configuration names virtual network '{name}' more than once."
            )));
        }
    }
    Ok(sites)
}

/// `GET services/networking/virtualnetwork`.
pub fn list_sites(sub: &Subscription) -> Outcome {
    let cfg = applied_netcfg(sub);
    let local_sites = cfg.local_network_sites();
    let items = cfg
        .virtual_network_sites()
        .into_iter()
        .map(|site| VirtualNetworkSiteInfo {
            id: sub.vnet_ids.get(&site.name).cloned().unwrap_or_default(),
            state: "Created".to_string(),
            address_prefixes: site.address_space.clone(),
            subnets: site
                .subnets
                .iter()
                .map(|s| VnetSubnetInfo {
                    name: s.name.clone(),
                    address_prefix: s.address_prefix.clone(),
                })
                .collect(),
            gateway: site.gateway.as_ref().map(|g| VnetGatewayInfo {
                profile: None,
                sites: g
                    .connections
                    .iter()
                    .map(|r| {
                        let local = local_sites.iter().find(|l| l.name == r.name);
                        VnetLocalSiteInfo {
                            name: r.name.clone(),
                            address_prefixes: local
                                .map(|l| l.address_space.clone())
                                .unwrap_or_default(),
                            vpn_gateway_address: local.and_then(|l| l.vpn_gateway_address.clone()),
                            connections: vec![r.connection_type],
                        }
                    })
                    .collect(),
                vpn_client_address_pool: g.vpn_client_address_pool.clone(),
            }),
            name: site.name,
            location: site.location,
        })
        .collect();
    read(xml(200, &List { items }))
}
