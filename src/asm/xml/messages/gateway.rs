//! The VNet's own gateway, `services/networking/{vnet}/gateway` (asm-api.md section 3), and the enums the
//! multi-gateway API shares with it.

use super::{text_items, ElementBuilder, Message};
use crate::asm::xml::tree::Element;
use crate::asm::xml::value::{opt_parse, opt_text, req_parse, wire_enum};
use crate::asm::xml::XmlError;

wire_enum! {
    /// The SKU. `Default` is Basic.
    GatewaySize {
        Default = "Default",
        Standard = "Standard",
        HighPerformance = "HighPerformance",
        UltraPerformance = "UltraPerformance",
    }
}

wire_enum! {
    /// `StaticRouting` is policy-based, `DynamicRouting` route-based.
    GatewayType { StaticRouting = "StaticRouting", DynamicRouting = "DynamicRouting" }
}

wire_enum! {
    GatewayState {
        NotProvisioned = "NotProvisioned",
        Provisioning = "Provisioning",
        Provisioned = "Provisioned",
        Deprovisioning = "Deprovisioning",
    }
}

wire_enum! {
    UpdateGatewayOperation { Resize = "Resize", Reset = "Reset" }
}

/// What the service reports as `None` for a gateway that has no size yet.
const NO_SIZE: &str = "None";

/// `LastEvent`: the gateway manager's latest event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayEvent {
    pub data: Option<String>,
    pub id: String,
    pub message: String,
    /// With 7 fractional digits and a `Z`, as recorded.
    pub timestamp: String,
}

impl Message for GatewayEvent {
    const ROOT: &'static str = "LastEvent";

    fn write_children(&self, e: &mut Element) {
        e.push_text_opt("Data", self.data.as_ref());
        e.push_text("Id", &self.id);
        e.push_text("Message", &self.message);
        e.push_text("Timestamp", &self.timestamp);
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        Ok(GatewayEvent {
            data: opt_text(e, "Data").filter(|d| !d.is_empty()),
            id: opt_text(e, "Id").unwrap_or_default(),
            message: opt_text(e, "Message").unwrap_or_default(),
            timestamp: opt_text(e, "Timestamp").unwrap_or_default(),
        })
    }
}

pub(crate) fn write_last_event(e: &mut Element, event: Option<&GatewayEvent>) {
    match event {
        Some(ev) => e.push_child(ev.to_element()),
        None => e.push_text_or_nil("LastEvent", None::<&str>),
    }
}

pub(crate) fn read_last_event(e: &Element) -> Result<Option<GatewayEvent>, XmlError> {
    e.child("LastEvent")
        .filter(|c| !c.is_nil())
        .map(GatewayEvent::from_element)
        .transpose()
}

/// `GatewaySize`, where the service writes `None` for "no size".
pub(crate) fn read_size(e: &Element) -> Result<Option<GatewaySize>, XmlError> {
    match opt_text(e, "GatewaySize") {
        Some(s) if s == NO_SIZE || s.is_empty() => Ok(None),
        Some(s) => s.parse().map(Some),
        None => Ok(None),
    }
}

pub(crate) fn default_sites(e: &Element) -> Vec<String> {
    e.child("DefaultSites")
        .map(|d| d.elements().map(|s| s.text().trim().to_string()).collect())
        .unwrap_or_default()
}

pub(crate) fn default_sites_element(sites: &[String]) -> Element {
    text_items("DefaultSites", "string", sites)
}

/// `GET {vnet}/gateway`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gateway {
    pub gateway_type: GatewayType,
    pub last_event: Option<GatewayEvent>,
    pub state: GatewayState,
    pub vip_address: Option<String>,
    /// Non-empty means forced tunnelling.
    pub default_sites: Vec<String>,
    /// `None` is written as `<GatewaySize>None</GatewaySize>`.
    pub gateway_size: Option<GatewaySize>,
    pub gateway_id: Option<String>,
}

impl Gateway {
    /// What the service returns for a VNet that exists but has no gateway.
    pub fn not_provisioned() -> Self {
        Gateway {
            gateway_type: GatewayType::StaticRouting,
            last_event: None,
            state: GatewayState::NotProvisioned,
            vip_address: None,
            default_sites: Vec::new(),
            gateway_size: None,
            gateway_id: None,
        }
    }
}

impl Message for Gateway {
    const ROOT: &'static str = "Gateway";

    fn write_children(&self, e: &mut Element) {
        e.push_text("GatewayType", self.gateway_type);
        write_last_event(e, self.last_event.as_ref());
        e.push_text("State", self.state);
        e.push_text_opt("VIPAddress", self.vip_address.as_ref());
        if self.gateway_id.is_some() {
            e.push_child(default_sites_element(&self.default_sites));
        }
        e.push_text(
            "GatewaySize",
            self.gateway_size.map_or(NO_SIZE, GatewaySize::as_str),
        );
        e.push_text_or_nil("GatewayId", self.gateway_id.as_ref());
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        Ok(Gateway {
            gateway_type: opt_parse(e, "GatewayType")?.unwrap_or(GatewayType::StaticRouting),
            last_event: read_last_event(e)?,
            state: req_parse(e, "State")?,
            vip_address: opt_text(e, "VIPAddress").filter(|v| !v.is_empty()),
            default_sites: default_sites(e),
            gateway_size: read_size(e)?,
            gateway_id: opt_text(e, "GatewayId").filter(|v| !v.is_empty()),
        })
    }
}

/// `POST {vnet}/gateway` body. Note the lower-case `gatewayType` element.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreateGatewayParameters {
    pub gateway_size: Option<GatewaySize>,
    pub gateway_type: Option<GatewayType>,
}

impl Message for CreateGatewayParameters {
    const ROOT: &'static str = "CreateGatewayParameters";

    fn write_children(&self, e: &mut Element) {
        e.push_text_opt("GatewaySize", self.gateway_size);
        e.push_text_opt("gatewayType", self.gateway_type);
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        let gateway_type = match opt_parse(e, "gatewayType")? {
            Some(t) => Some(t),
            // Accept the capitalised spelling too: clients copied from the multi-gateway API send it.
            None => opt_parse(e, "GatewayType")?,
        };
        Ok(CreateGatewayParameters {
            gateway_size: opt_parse(e, "GatewaySize")?,
            gateway_type,
        })
    }
}

/// `PATCH` body for resize (with a size) or reset, for both gateway APIs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateGatewayParameters {
    pub gateway_size: Option<GatewaySize>,
    pub operation: UpdateGatewayOperation,
}

impl Message for UpdateGatewayParameters {
    const ROOT: &'static str = "UpdateGatewayParameters";

    fn write_children(&self, e: &mut Element) {
        e.push_text_opt("GatewaySize", self.gateway_size);
        e.push_text("Operation", self.operation);
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        Ok(UpdateGatewayParameters {
            gateway_size: opt_parse(e, "GatewaySize")?,
            operation: req_parse(e, "Operation")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{assert_round_trip, compact};
    use super::*;

    #[test]
    fn provisioned_gateway_in_documented_order() {
        let sample = r#"<Gateway xmlns="http://schemas.microsoft.com/windowsazure" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
  <GatewayType>DynamicRouting</GatewayType>
  <LastEvent><Id>23002</Id><Message>Successfully created a gateway for the following virtual network: vnet1</Message>
    <Timestamp>2015-04-11T23:45:27.7007465Z</Timestamp></LastEvent>
  <State>Provisioned</State>
  <VIPAddress>168.62.75.65</VIPAddress>
  <DefaultSites />
  <GatewaySize>HighPerformance</GatewaySize>
  <GatewayId>42fd1c5e-e132-4626-b394-2c31f7f3a7f5</GatewayId>
</Gateway>"#;
        let gw = Gateway {
            gateway_type: GatewayType::DynamicRouting,
            last_event: Some(GatewayEvent {
                data: None,
                id: "23002".into(),
                message: "Successfully created a gateway for the following virtual network: vnet1"
                    .into(),
                timestamp: "2015-04-11T23:45:27.7007465Z".into(),
            }),
            state: GatewayState::Provisioned,
            vip_address: Some("168.62.75.65".into()),
            default_sites: vec![],
            gateway_size: Some(GatewaySize::HighPerformance),
            gateway_id: Some("42fd1c5e-e132-4626-b394-2c31f7f3a7f5".into()),
        };
        assert_round_trip(sample, &gw);
        assert_eq!(gw.to_xml(), compact(sample));
    }

    #[test]
    fn not_provisioned_gateway() {
        let xml = Gateway::not_provisioned().to_xml();
        assert!(xml.ends_with("<GatewayType>StaticRouting</GatewayType><LastEvent i:nil=\"true\" /><State>NotProvisioned</State><GatewaySize>None</GatewaySize><GatewayId i:nil=\"true\" /></Gateway>"));
        assert_eq!(Gateway::from_xml(&xml), Ok(Gateway::not_provisioned()));
    }

    #[test]
    fn create_and_update_parameters() {
        let sample = r#"<CreateGatewayParameters xmlns="http://schemas.microsoft.com/windowsazure">
  <GatewaySize>HighPerformance</GatewaySize>
  <gatewayType>DynamicRouting</gatewayType>
</CreateGatewayParameters>"#;
        let p = CreateGatewayParameters {
            gateway_size: Some(GatewaySize::HighPerformance),
            gateway_type: Some(GatewayType::DynamicRouting),
        };
        assert_round_trip(sample, &p);
        assert!(p.to_xml().contains(
            "<GatewaySize>HighPerformance</GatewaySize><gatewayType>DynamicRouting</gatewayType>"
        ));
        let bad = sample.replace("HighPerformance", "Huge");
        assert!(matches!(
            CreateGatewayParameters::from_xml(&bad),
            Err(XmlError::InvalidValue { .. })
        ));
        let resize = r#"<UpdateGatewayParameters xmlns="http://schemas.microsoft.com/windowsazure"><Operation>Resize</Operation><GatewaySize>Standard</GatewaySize></UpdateGatewayParameters>"#;
        let u = UpdateGatewayParameters {
            gateway_size: Some(GatewaySize::Standard),
            operation: UpdateGatewayOperation::Resize,
        };
        assert_round_trip(resize, &u);
        assert!(u
            .to_xml()
            .contains("<GatewaySize>Standard</GatewaySize><Operation>Resize</Operation>"));
        assert_round_trip(
            "<UpdateGatewayParameters><Operation>Reset</Operation></UpdateGatewayParameters>",
            &UpdateGatewayParameters {
                gateway_size: None,
                operation: UpdateGatewayOperation::Reset,
            },
        );
    }
}
