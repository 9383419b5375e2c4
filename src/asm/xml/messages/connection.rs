//! Gateway connections, `services/networking/gatewayconnections` (asm-api.md section 4c).

use super::{opt_bool, ElementBuilder, ListItem, Message};
use crate::asm::xml::tree::Element;
use crate::asm::xml::value::{opt_parse, opt_text, req_parse, req_text, wire_enum};
use crate::asm::xml::XmlError;

wire_enum! {
    GatewayConnectionType {
        IPsec = "IPsec",
        Vnet2Vnet = "Vnet2Vnet",
        Dedicated = "Dedicated",
        VPNClient = "VPNClient",
    }
}

/// A connection's pre-shared key. A secret: `Debug` never shows it; read it with [`SharedKey::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct SharedKey(String);

impl SharedKey {
    pub fn new(key: impl Into<String>) -> Self {
        SharedKey(key.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SharedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedKey(<redacted>)")
    }
}

/// An item of `GET gatewayconnections`, and the body of the get on its own path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayConnection {
    /// The local network gateway id.
    pub connected_entity_id: String,
    pub gateway_connection_name: String,
    pub gateway_connection_type: GatewayConnectionType,
    pub virtual_network_gateway_id: String,
    pub routing_weight: Option<i32>,
    pub shared_key: Option<SharedKey>,
    pub enable_bgp: Option<bool>,
}

fn write_connection(c: &GatewayConnection, e: &mut Element) {
    e.push_text("ConnectedEntityId", &c.connected_entity_id);
    e.push_text("GatewayConnectionName", &c.gateway_connection_name);
    e.push_text("GatewayConnectionType", c.gateway_connection_type);
    e.push_text("VirtualNetworkGatewayId", &c.virtual_network_gateway_id);
    e.push_text_opt("RoutingWeight", c.routing_weight);
    e.push_text_opt("SharedKey", c.shared_key.as_ref().map(SharedKey::expose));
    e.push_text_opt("EnableBgp", c.enable_bgp);
}

fn read_connection(e: &Element) -> Result<GatewayConnection, XmlError> {
    Ok(GatewayConnection {
        connected_entity_id: req_text(e, "ConnectedEntityId")?,
        gateway_connection_name: opt_text(e, "GatewayConnectionName").unwrap_or_default(),
        gateway_connection_type: opt_parse(e, "GatewayConnectionType")?
            .unwrap_or(GatewayConnectionType::IPsec),
        virtual_network_gateway_id: req_text(e, "VirtualNetworkGatewayId")?,
        routing_weight: opt_parse(e, "RoutingWeight")?,
        shared_key: opt_text(e, "SharedKey").map(SharedKey),
        enable_bgp: opt_bool(e, "EnableBgp")?,
    })
}

impl Message for GatewayConnection {
    const ROOT: &'static str = "GatewayConnection";

    fn write_children(&self, e: &mut Element) {
        write_connection(self, e);
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        read_connection(e)
    }
}

impl ListItem for GatewayConnection {
    const LIST: &'static str = "GatewayConnections";
}

/// `POST gatewayconnections` body: the same fields as a connection, under another root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateGatewayConnectionParameters {
    pub connection: GatewayConnection,
}

impl Message for CreateGatewayConnectionParameters {
    const ROOT: &'static str = "CreateGatewayConnectionParameters";

    fn write_children(&self, e: &mut Element) {
        write_connection(&self.connection, e);
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        let connection = read_connection(e)?;
        // The type is required on create, even though a read tolerates its absence.
        req_parse::<GatewayConnectionType>(e, "GatewayConnectionType")?;
        Ok(CreateGatewayConnectionParameters { connection })
    }
}

/// `PATCH` body on the connection's path.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UpdateGatewayConnectionParameters {
    pub routing_weight: Option<i32>,
    pub shared_key: Option<SharedKey>,
    pub enable_bgp: Option<bool>,
}

impl Message for UpdateGatewayConnectionParameters {
    const ROOT: &'static str = "UpdateGatewayConnectionParameters";

    fn write_children(&self, e: &mut Element) {
        e.push_text_opt("RoutingWeight", self.routing_weight);
        e.push_text_opt("SharedKey", self.shared_key.as_ref().map(SharedKey::expose));
        e.push_text_opt("EnableBgp", self.enable_bgp);
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        Ok(UpdateGatewayConnectionParameters {
            routing_weight: opt_parse(e, "RoutingWeight")?,
            shared_key: opt_text(e, "SharedKey").map(SharedKey),
            enable_bgp: opt_bool(e, "EnableBgp")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{assert_round_trip, compact, List};
    use super::*;

    const SAMPLE: &str = r#"<CreateGatewayConnectionParameters xmlns="http://schemas.microsoft.com/windowsazure">
  <ConnectedEntityId>6f335915-0000-0000-0000-000000000000</ConnectedEntityId>
  <GatewayConnectionName>Azure2Local</GatewayConnectionName>
  <GatewayConnectionType>IPsec</GatewayConnectionType>
  <VirtualNetworkGatewayId>408a25c0-0000-0000-0000-000000000000</VirtualNetworkGatewayId>
  <RoutingWeight>3</RoutingWeight>
  <SharedKey>abc123</SharedKey>
  <EnableBgp>false</EnableBgp>
</CreateGatewayConnectionParameters>"#;

    fn connection() -> GatewayConnection {
        GatewayConnection {
            connected_entity_id: "6f335915-0000-0000-0000-000000000000".into(),
            gateway_connection_name: "Azure2Local".into(),
            gateway_connection_type: GatewayConnectionType::IPsec,
            virtual_network_gateway_id: "408a25c0-0000-0000-0000-000000000000".into(),
            routing_weight: Some(3),
            shared_key: Some(SharedKey::new("abc123")),
            enable_bgp: Some(false),
        }
    }

    #[test]
    fn create_sample_round_trips_in_documented_order() {
        let p = CreateGatewayConnectionParameters {
            connection: connection(),
        };
        assert_round_trip(SAMPLE, &p);
        let body = compact(SAMPLE);
        let children = &body[body.find("<ConnectedEntityId>").unwrap_or(0)..];
        assert!(p.to_xml().ends_with(children));
        let no_type = SAMPLE.replace("<GatewayConnectionType>IPsec</GatewayConnectionType>", "");
        assert!(CreateGatewayConnectionParameters::from_xml(&no_type).is_err());
        let bad = SAMPLE.replace(">IPsec<", ">GRE<");
        assert!(matches!(
            CreateGatewayConnectionParameters::from_xml(&bad),
            Err(XmlError::InvalidValue { .. })
        ));
    }

    #[test]
    fn shared_key_never_in_debug() {
        let c = connection();
        assert!(!format!("{c:?}").contains("abc123"));
        let u = UpdateGatewayConnectionParameters {
            shared_key: Some(SharedKey::new("s3cret")),
            ..Default::default()
        };
        assert!(!format!("{u:?}").contains("s3cret"));
        assert!(u.to_xml().contains("<SharedKey>s3cret</SharedKey>"));
        assert_round_trip(&u.to_xml(), &u);
    }

    #[test]
    fn list_round_trips() {
        let list = List {
            items: vec![connection()],
        };
        assert!(list.to_xml().starts_with("<GatewayConnections "));
        assert_eq!(
            List::<GatewayConnection>::from_xml(&list.to_xml()),
            Ok(list)
        );
    }
}
