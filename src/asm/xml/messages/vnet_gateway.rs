//! Multi-gateway API virtual network gateways, `services/networking/virtualnetworkgateways`
//! (asm-api.md section 4a): the S2S VPN gateway of the coexistence procedure.

use super::gateway::{
    default_sites, default_sites_element, read_last_event, read_size, write_last_event,
};
use super::{opt_bool, ElementBuilder, ListItem, Message};
use super::{GatewayEvent, GatewaySize, GatewayState, GatewayType};
use crate::asm::xml::tree::Element;
use crate::asm::xml::value::{opt_parse, opt_text, req_parse, req_text};
use crate::asm::xml::XmlError;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BgpSettings {
    pub asn: u32,
    pub bgp_peering_address: String,
    pub peer_weight: i32,
}

impl Message for BgpSettings {
    const ROOT: &'static str = "BgpSettings";

    fn write_children(&self, e: &mut Element) {
        e.push_text("Asn", self.asn);
        e.push_text("BgpPeeringAddress", &self.bgp_peering_address);
        e.push_text("PeerWeight", self.peer_weight);
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        Ok(BgpSettings {
            asn: req_parse(e, "Asn")?,
            bgp_peering_address: opt_text(e, "BgpPeeringAddress").unwrap_or_default(),
            peer_weight: opt_parse(e, "PeerWeight")?.unwrap_or(0),
        })
    }
}

pub(crate) fn read_bgp(e: &Element) -> Result<Option<BgpSettings>, XmlError> {
    e.child("BgpSettings")
        .filter(|c| !c.is_nil())
        .map(BgpSettings::from_element)
        .transpose()
}

pub(crate) fn write_bgp(e: &mut Element, bgp: Option<&BgpSettings>) {
    if let Some(b) = bgp {
        e.push_child(b.to_element());
    }
}

/// An item of `GET virtualnetworkgateways` and the body of `GET virtualnetworkgateways/{id}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualNetworkGateway {
    pub gateway_id: String,
    pub gateway_name: String,
    pub gateway_size: Option<GatewaySize>,
    pub gateway_type: Option<GatewayType>,
    pub last_event: Option<GatewayEvent>,
    pub state: GatewayState,
    pub vip_address: Option<String>,
    /// Non-empty means forced tunnelling.
    pub default_sites: Vec<String>,
    pub enable_bgp: bool,
    pub location: Option<String>,
    pub subnet_id: Option<String>,
    pub vnet_id: String,
    pub bgp_settings: Option<BgpSettings>,
}

impl Message for VirtualNetworkGateway {
    const ROOT: &'static str = "VirtualNetworkGateway";

    fn write_children(&self, e: &mut Element) {
        e.push_text("GatewayId", &self.gateway_id);
        e.push_text("GatewayName", &self.gateway_name);
        e.push_text_or_nil("GatewaySize", self.gateway_size);
        e.push_text_or_nil("GatewayType", self.gateway_type);
        write_last_event(e, self.last_event.as_ref());
        e.push_text("State", self.state);
        e.push_text_or_nil("VIPAddress", self.vip_address.as_ref());
        e.push_child(default_sites_element(&self.default_sites));
        e.push_text("EnableBgp", self.enable_bgp);
        e.push_text_or_nil("Location", self.location.as_ref());
        e.push_text_or_nil("SubnetId", self.subnet_id.as_ref());
        e.push_text("VnetId", &self.vnet_id);
        write_bgp(e, self.bgp_settings.as_ref());
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        Ok(VirtualNetworkGateway {
            gateway_id: req_text(e, "GatewayId")?,
            gateway_name: opt_text(e, "GatewayName").unwrap_or_default(),
            gateway_size: read_size(e)?,
            gateway_type: opt_parse(e, "GatewayType")?,
            last_event: read_last_event(e)?,
            state: req_parse(e, "State")?,
            vip_address: opt_text(e, "VIPAddress").filter(|v| !v.is_empty()),
            default_sites: default_sites(e),
            enable_bgp: opt_bool(e, "EnableBgp")?.unwrap_or(false),
            location: opt_text(e, "Location").filter(|v| !v.is_empty()),
            subnet_id: opt_text(e, "SubnetId").filter(|v| !v.is_empty()),
            vnet_id: opt_text(e, "VnetId").unwrap_or_default(),
            bgp_settings: read_bgp(e)?,
        })
    }
}

impl ListItem for VirtualNetworkGateway {
    const LIST: &'static str = "VirtualNetworkGateways";
}

/// `POST {vnetName}/virtualnetworkgateways` body; every child is optional.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreateVirtualNetworkGatewayParameters {
    pub gateway_name: Option<String>,
    pub gateway_size: Option<GatewaySize>,
    pub gateway_type: Option<GatewayType>,
    pub location: Option<String>,
    pub vnet_id: Option<String>,
    pub bgp_settings: Option<BgpSettings>,
}

impl Message for CreateVirtualNetworkGatewayParameters {
    const ROOT: &'static str = "CreateVirtualNetworkGatewayParameters";

    fn write_children(&self, e: &mut Element) {
        e.push_text_opt("GatewayName", self.gateway_name.as_ref());
        e.push_text_opt("GatewaySize", self.gateway_size);
        e.push_text_opt("GatewayType", self.gateway_type);
        e.push_text_opt("Location", self.location.as_ref());
        e.push_text_opt("VnetId", self.vnet_id.as_ref());
        write_bgp(e, self.bgp_settings.as_ref());
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        Ok(CreateVirtualNetworkGatewayParameters {
            gateway_name: opt_text(e, "GatewayName"),
            gateway_size: opt_parse(e, "GatewaySize")?,
            gateway_type: opt_parse(e, "GatewayType")?,
            location: opt_text(e, "Location"),
            vnet_id: opt_text(e, "VnetId"),
            bgp_settings: read_bgp(e)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{assert_round_trip, List};
    use super::*;

    #[test]
    fn create_parameters_sample() {
        let sample = r#"<CreateVirtualNetworkGatewayParameters xmlns="http://schemas.microsoft.com/windowsazure">
  <GatewayName>S2SVPN</GatewayName>
  <GatewaySize>HighPerformance</GatewaySize>
  <GatewayType>DynamicRouting</GatewayType>
  <Location>Central US</Location>
  <VnetId>b34f7f25-0000-0000-0000-000000000000</VnetId>
  <BgpSettings><Asn>65010</Asn><BgpPeeringAddress>10.0.0.254</BgpPeeringAddress><PeerWeight>0</PeerWeight></BgpSettings>
</CreateVirtualNetworkGatewayParameters>"#;
        let p = CreateVirtualNetworkGatewayParameters {
            gateway_name: Some("S2SVPN".into()),
            gateway_size: Some(GatewaySize::HighPerformance),
            gateway_type: Some(GatewayType::DynamicRouting),
            location: Some("Central US".into()),
            vnet_id: Some("b34f7f25-0000-0000-0000-000000000000".into()),
            bgp_settings: Some(BgpSettings {
                asn: 65010,
                bgp_peering_address: "10.0.0.254".into(),
                peer_weight: 0,
            }),
        };
        assert_round_trip(sample, &p);
        assert_eq!(p.to_xml(), super::super::compact(sample).replace(
            "<CreateVirtualNetworkGatewayParameters xmlns=\"http://schemas.microsoft.com/windowsazure\">",
            "<CreateVirtualNetworkGatewayParameters xmlns=\"http://schemas.microsoft.com/windowsazure\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">",
        ));
        assert_round_trip(
            "<CreateVirtualNetworkGatewayParameters />",
            &CreateVirtualNetworkGatewayParameters::default(),
        );
    }

    #[test]
    fn gateway_list_in_documented_order_with_nils() {
        let gw = VirtualNetworkGateway {
            gateway_id: "348ae011-ffa9-4add-b530-7cb30010565e".into(),
            gateway_name: "S2SVPN".into(),
            gateway_size: Some(GatewaySize::HighPerformance),
            gateway_type: Some(GatewayType::DynamicRouting),
            last_event: None,
            state: GatewayState::Provisioned,
            vip_address: Some("104.43.0.1".into()),
            default_sites: vec![],
            enable_bgp: false,
            location: None,
            subnet_id: None,
            vnet_id: "979aabcf-e47f-4136-ab9b-b4780c1e1bd5".into(),
            bgp_settings: None,
        };
        let list = List {
            items: vec![gw.clone()],
        };
        let xml = list.to_xml();
        assert!(xml.starts_with(
            "<VirtualNetworkGateways xmlns=\"http://schemas.microsoft.com/windowsazure\""
        ));
        assert!(xml.contains("<VirtualNetworkGateway><GatewayId>348ae011-ffa9-4add-b530-7cb30010565e</GatewayId><GatewayName>S2SVPN</GatewayName><GatewaySize>HighPerformance</GatewaySize><GatewayType>DynamicRouting</GatewayType><LastEvent i:nil=\"true\" /><State>Provisioned</State><VIPAddress>104.43.0.1</VIPAddress><DefaultSites /><EnableBgp>false</EnableBgp><Location i:nil=\"true\" /><SubnetId i:nil=\"true\" /><VnetId>979aabcf-e47f-4136-ab9b-b4780c1e1bd5</VnetId></VirtualNetworkGateway>"));
        assert_eq!(List::<VirtualNetworkGateway>::from_xml(&xml), Ok(list));
        // Any order, nils and unknown elements are tolerated.
        let shuffled = "<VirtualNetworkGateway xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"><VnetId>979aabcf-e47f-4136-ab9b-b4780c1e1bd5</VnetId><Future>x</Future><State>Provisioned</State><GatewayId>348ae011-ffa9-4add-b530-7cb30010565e</GatewayId><GatewayName>S2SVPN</GatewayName><GatewaySize>HighPerformance</GatewaySize><GatewayType>DynamicRouting</GatewayType><VIPAddress>104.43.0.1</VIPAddress><EnableBgp>False</EnableBgp><Location i:nil=\"true\" /></VirtualNetworkGateway>";
        assert_round_trip(shuffled, &gw);
        assert_round_trip(
            "<VirtualNetworkGateways xmlns=\"http://schemas.microsoft.com/windowsazure\" />",
            &List::<VirtualNetworkGateway> { items: vec![] },
        );
    }
}
