//! The azureclassic provider's resources and data sources: one file each, with its schema (the
//! user-facing contract of design.md section 2), its model and its plan-time checks.

mod data_dedicated_circuit;
mod data_virtual_network_gateway;
mod dedicated_circuit_link;
mod facts;
mod findings;
mod gateway_connection;
mod local_network_gateway;
mod lookup;
mod planned;
pub mod provider;
mod registry;
mod service;
mod transit;
mod values;
mod virtual_network;
mod virtual_network_gateway;

use std::sync::Arc;

use crate::framework::erased::{DynDataSource, DynResource};
use crate::framework::{data_source, resource, Attr};

pub use data_dedicated_circuit::DedicatedCircuitData;
pub use data_virtual_network_gateway::VirtualNetworkGatewayData;
pub use dedicated_circuit_link::DedicatedCircuitLink;
pub use gateway_connection::GatewayConnection;
pub use local_network_gateway::LocalNetworkGateway;
pub use provider::AzureClassicProvider;
pub use virtual_network::VirtualNetwork;
pub use virtual_network_gateway::VirtualNetworkGateway;

/// Every resource type of the provider.
pub fn resources() -> Vec<Arc<dyn DynResource>> {
    vec![
        resource(VirtualNetwork),
        resource(VirtualNetworkGateway),
        resource(DedicatedCircuitLink),
        resource(LocalNetworkGateway),
        resource(GatewayConnection),
    ]
}

/// Every data source of the provider.
pub fn data_sources() -> Vec<Arc<dyn DynDataSource>> {
    vec![
        data_source(DedicatedCircuitData),
        data_source(VirtualNetworkGatewayData),
    ]
}

/// An id made of other attributes joined by `/` (`{service_key}/{virtual_network_name}`): known at
/// plan time as soon as its parts are.
fn joined_id(parts: &[&Attr<String>]) -> Attr<String> {
    let known: Option<Vec<&str>> = parts.iter().map(|p| p.known_str()).collect();
    match known {
        Some(parts) => Attr::Known(parts.join("/")),
        None => Attr::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::erased::PlanInput;
    use crate::framework::schema::{Block, Mode};
    use crate::framework::{AttrPath, Context, Provider, Value};

    #[test]
    fn every_schema_is_sound() {
        let provider = AzureClassicProvider;
        let mut all = vec![("provider".to_string(), provider.schema())];
        all.extend(
            resources()
                .iter()
                .map(|r| (r.type_name().to_string(), r.schema().clone())),
        );
        all.extend(
            data_sources()
                .iter()
                .map(|d| (d.type_name().to_string(), d.schema().clone())),
        );
        for (name, schema) in &all {
            assert!(
                schema.problems().is_empty(),
                "{name}: {:?}",
                schema.problems()
            );
        }
        assert_eq!(all.len(), 8);
    }

    fn assert_computed_id(name: &str, block: &Block) {
        let id = block
            .find_attribute("id")
            .unwrap_or_else(|| panic!("{name} has no id"));
        assert!(
            matches!(id.mode, Mode::Computed | Mode::OptionalComputed),
            "{name}: id must be computed"
        );
    }

    #[test]
    fn every_resource_and_data_source_has_a_computed_id_and_a_prefixed_name() {
        for r in resources() {
            assert!(r.type_name().starts_with("azureclassic_"));
            assert_computed_id(r.type_name(), &r.schema().block);
        }
        for d in data_sources() {
            assert!(d.type_name().starts_with("azureclassic_"));
            assert_computed_id(d.type_name(), &d.schema().block);
        }
    }

    fn find(type_name: &str) -> Arc<dyn DynResource> {
        resources()
            .into_iter()
            .find(|r| r.type_name() == type_name)
            .expect("registered")
    }

    /// A configuration value of `r` with the given attributes set and everything else null.
    fn config(r: &dyn DynResource, pairs: &[(&str, Value)]) -> Value {
        let attrs = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        Value::Object(attrs)
            .conform(r.value_type())
            .expect("fits the schema")
    }

    fn s(v: &str) -> Value {
        Value::string(v)
    }

    #[tokio::test]
    async fn gateway_enum_values_are_checked_with_their_path_when_known() {
        let gw = find("azureclassic_virtual_network_gateway");
        let base = [
            ("virtual_network_name", s("vnet")),
            ("type", s("ExpressRoute")),
        ];
        let bad = config(
            gw.as_ref(),
            &[
                &base[..],
                &[("gateway_sku", s("Basic")), ("gateway_type", s("Dynamic"))],
            ]
            .concat(),
        );
        let diags = gw.validate(&Context::detached(), bad).await;
        let paths: Vec<_> = diags
            .iter()
            .map(|d| d.path.clone().expect("a path").to_string())
            .collect();
        assert_eq!(paths, ["gateway_sku", "gateway_type"]);
        let unknown = config(
            gw.as_ref(),
            &[&base[..], &[("gateway_sku", Value::Unknown)]].concat(),
        );
        assert!(gw.validate(&Context::detached(), unknown).await.is_empty());
    }

    #[tokio::test]
    async fn gateway_timeouts_must_be_durations() {
        let gw = find("azureclassic_virtual_network_gateway");
        let timeouts = Value::object([
            ("create", s("forever")),
            ("update", s("60m")),
            ("delete", Value::Unknown),
        ]);
        let c = config(gw.as_ref(), &[("timeouts", timeouts)]);
        let diags = gw.validate(&Context::detached(), c).await;
        let paths: Vec<_> = diags
            .iter()
            .map(|d| d.path.clone().expect("a path").to_string())
            .collect();
        assert_eq!(paths, ["timeouts.create"]);
    }

    #[tokio::test]
    async fn vpn_gateway_needs_a_name_and_an_expressroute_gateway_refuses_one() {
        let gw = find("azureclassic_virtual_network_gateway");
        let vpn = config(
            gw.as_ref(),
            &[("type", s("Vpn")), ("gateway_sku", s("Standard"))],
        );
        assert!(gw.validate(&Context::detached(), vpn).await.has_errors());
        let er = config(
            gw.as_ref(),
            &[("type", s("ExpressRoute")), ("name", s("x"))],
        );
        let diags = gw.validate(&Context::detached(), er).await;
        assert_eq!(
            diags.iter().next().and_then(|d| d.path.clone()),
            Some(AttrPath::attr("name"))
        );
    }

    #[tokio::test]
    async fn site_ref_connection_type_is_checked_at_its_index() {
        let vnet = find("azureclassic_virtual_network");
        let site = |t: &str| {
            Value::Object(
                [
                    ("name".to_string(), s(&format!("site-{t}"))),
                    ("connection_type".to_string(), s(t)),
                ]
                .into(),
            )
        };
        let c = config(
            vnet.as_ref(),
            &[(
                "local_network_site_ref",
                Value::List(vec![site("IPsec"), site("ExpressRoute")]),
            )],
        );
        let diags = vnet.validate(&Context::detached(), c).await;
        let paths: Vec<_> = diags
            .iter()
            .map(|d| d.path.clone().expect("a path").to_string())
            .collect();
        assert_eq!(paths, ["local_network_site_ref[1].connection_type"]);
    }

    #[tokio::test]
    async fn virtual_network_plan_knows_its_gateway_facts_from_configuration() {
        let vnet = find("azureclassic_virtual_network");
        let subnet = |n: &str, p: &str| {
            Value::Object(
                [
                    ("name".to_string(), s(n)),
                    ("address_prefix".to_string(), s(p)),
                ]
                .into(),
            )
        };
        let site = Value::Object(
            [
                ("name".to_string(), s("er")),
                ("connection_type".to_string(), s("Dedicated")),
            ]
            .into(),
        );
        let c = config(
            vnet.as_ref(),
            &[
                ("name", s("MyAzureVNET")),
                ("location", s("West Europe")),
                ("address_space", Value::List(vec![s("10.1.0.0/16")])),
                (
                    "subnet",
                    Value::List(vec![
                        subnet("FrontEnd", "10.1.0.0/24"),
                        subnet("GatewaySubnet", "10.1.255.0/27"),
                    ]),
                ),
                ("local_network_site_ref", Value::List(vec![site])),
            ],
        );
        let input = PlanInput {
            prior: Value::Null,
            proposed: c.clone(),
            config: c,
            prior_private: vec![],
        };
        let out = vnet.plan(&Context::detached(), input).await;
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(out.planned.attr("id"), &s("MyAzureVNET"));
        assert_eq!(
            out.planned.attr("gateway_subnet_prefix"),
            &s("10.1.255.0/27")
        );
        assert_eq!(out.planned.attr("expressroute"), &Value::Bool(true));
        assert_eq!(out.planned.attr("vnet_id"), &Value::Unknown);
    }

    #[tokio::test]
    async fn a_fractional_routing_weight_is_the_users_error_at_its_path() {
        let conn = find("azureclassic_gateway_connection");
        let weight =
            Value::Number(crate::framework::value::Number::from_f64(1.5).expect("a number"));
        let diags = conn
            .validate(
                &Context::detached(),
                config(conn.as_ref(), &[("routing_weight", weight)]),
            )
            .await;
        let d = diags.iter().next().expect("an error");
        assert_eq!(d.summary, "Invalid value for routing_weight");
        assert_eq!(d.path, Some(AttrPath::attr("routing_weight")));
    }

    #[test]
    fn joined_id_is_known_only_when_every_part_is() {
        let a = Attr::Known("k".to_string());
        assert_eq!(
            joined_id(&[&a, &Attr::Known("v".into())]),
            Attr::Known("k/v".into())
        );
        assert_eq!(joined_id(&[&a, &Attr::Unknown]), Attr::Unknown);
        assert_eq!(joined_id(&[&a, &Attr::Null]), Attr::Unknown);
    }
}
