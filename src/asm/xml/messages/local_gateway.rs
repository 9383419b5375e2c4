//! Local network gateways, `services/networking/localnetworkgateways` (asm-api.md section 4b):
//! synchronous, with the address space in the serialization Arrays namespace.

use super::vnet_gateway::{read_bgp, write_bgp};
use super::SERIALIZATION_NS;
use super::{arrays_address_space, BgpSettings, ElementBuilder, ListItem, Message};
use crate::asm::xml::tree::{Document, Element};
use crate::asm::xml::value::{expect_root, opt_text, req_text};
use crate::asm::xml::XmlError;

/// The `a:string` items of `AddressSpace`, whatever their prefix.
fn read_address_space(e: &Element) -> Vec<String> {
    e.child("AddressSpace")
        .filter(|c| !c.is_nil())
        .map(|c| {
            c.children_named("string")
                .map(|s| s.text().trim().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalNetworkGateway {
    pub address_space: Vec<String>,
    pub gateway_name: String,
    pub id: String,
    pub ip_address: String,
    pub bgp_settings: Option<BgpSettings>,
}

impl Message for LocalNetworkGateway {
    const ROOT: &'static str = "LocalNetworkGateway";

    fn write_children(&self, e: &mut Element) {
        e.push_child(arrays_address_space(&self.address_space));
        e.push_text("GatewayName", &self.gateway_name);
        e.push_text("Id", &self.id);
        e.push_text("IpAddress", &self.ip_address);
        write_bgp(e, self.bgp_settings.as_ref());
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        Ok(LocalNetworkGateway {
            address_space: read_address_space(e),
            gateway_name: opt_text(e, "GatewayName").unwrap_or_default(),
            id: req_text(e, "Id")?,
            ip_address: opt_text(e, "IpAddress").unwrap_or_default(),
            bgp_settings: read_bgp(e)?,
        })
    }
}

impl ListItem for LocalNetworkGateway {
    const LIST: &'static str = "LocalNetworkGateways";
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateLocalNetworkGatewayParameters {
    pub address_space: Vec<String>,
    pub gateway_name: String,
    pub ip_address: String,
    pub bgp_settings: Option<BgpSettings>,
}

impl Message for CreateLocalNetworkGatewayParameters {
    const ROOT: &'static str = "CreateLocalNetworkGatewayParameters";

    fn write_children(&self, e: &mut Element) {
        e.push_child(arrays_address_space(&self.address_space));
        e.push_text("GatewayName", &self.gateway_name);
        e.push_text("IpAddress", &self.ip_address);
        write_bgp(e, self.bgp_settings.as_ref());
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        Ok(CreateLocalNetworkGatewayParameters {
            address_space: read_address_space(e),
            gateway_name: req_text(e, "GatewayName")?,
            ip_address: req_text(e, "IpAddress")?,
            bgp_settings: read_bgp(e)?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateLocalNetworkGatewayParameters {
    pub address_space: Vec<String>,
    pub bgp_settings: Option<BgpSettings>,
}

impl Message for UpdateLocalNetworkGatewayParameters {
    const ROOT: &'static str = "UpdateLocalNetworkGatewayParameters";

    fn write_children(&self, e: &mut Element) {
        e.push_child(arrays_address_space(&self.address_space));
        write_bgp(e, self.bgp_settings.as_ref());
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        Ok(UpdateLocalNetworkGatewayParameters {
            address_space: read_address_space(e),
            bgp_settings: read_bgp(e)?,
        })
    }
}

/// `<string xmlns="http://schemas.microsoft.com/2003/10/Serialization/">{id}</string>`: the response of
/// the local network gateway create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SerializedString {
    pub value: String,
}

impl SerializedString {
    pub fn to_xml(&self) -> String {
        Element::new("string")
            .with_attr("xmlns", SERIALIZATION_NS)
            .with_text(&self.value)
            .to_xml()
    }

    pub fn from_xml(input: &str) -> Result<Self, XmlError> {
        let doc = Document::parse(input)?;
        expect_root(&doc.root, "string")?;
        Ok(SerializedString {
            value: doc.root.text().trim().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{assert_round_trip, List};
    use super::*;

    #[test]
    fn create_parameters_sample_with_arrays_namespace() {
        let sample = r#"<CreateLocalNetworkGatewayParameters xmlns="http://schemas.microsoft.com/windowsazure">
  <AddressSpace xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays">
    <a:string>10.1.2.0/24</a:string>
  </AddressSpace>
  <GatewayName>MyLocalNetwork</GatewayName>
  <IpAddress>23.39.1.2</IpAddress>
</CreateLocalNetworkGatewayParameters>"#;
        let p = CreateLocalNetworkGatewayParameters {
            address_space: vec!["10.1.2.0/24".into()],
            gateway_name: "MyLocalNetwork".into(),
            ip_address: "23.39.1.2".into(),
            bgp_settings: None,
        };
        assert_round_trip(sample, &p);
        assert!(p.to_xml().contains("<AddressSpace xmlns:a=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\"><a:string>10.1.2.0/24</a:string></AddressSpace><GatewayName>MyLocalNetwork</GatewayName><IpAddress>23.39.1.2</IpAddress>"));
        assert!(matches!(
            CreateLocalNetworkGatewayParameters::from_xml(
                "<CreateLocalNetworkGatewayParameters />"
            ),
            Err(XmlError::Missing(_))
        ));
    }

    #[test]
    fn list_update_and_id_string() {
        let g = LocalNetworkGateway {
            address_space: vec!["10.1.2.0/24".into(), "10.1.3.0/24".into()],
            gateway_name: "MyLocalNetwork".into(),
            id: "532cb428-8c8c-4596-9a4f-7ae3a9fcd01b".into(),
            ip_address: "23.39.1.2".into(),
            bgp_settings: None,
        };
        let list = List { items: vec![g] };
        let xml = list.to_xml();
        assert!(xml.contains("</AddressSpace><GatewayName>MyLocalNetwork</GatewayName><Id>532cb428-8c8c-4596-9a4f-7ae3a9fcd01b</Id><IpAddress>"));
        assert_eq!(List::<LocalNetworkGateway>::from_xml(&xml), Ok(list));
        let u = UpdateLocalNetworkGatewayParameters {
            address_space: vec!["10.9.0.0/16".into()],
            bgp_settings: None,
        };
        assert_round_trip(&u.to_xml(), &u);
        let s = SerializedString {
            value: "532cb428-8c8c-4596-9a4f-7ae3a9fcd01b".into(),
        };
        assert_eq!(
            s.to_xml(),
            "<string xmlns=\"http://schemas.microsoft.com/2003/10/Serialization/\">532cb428-8c8c-4596-9a4f-7ae3a9fcd01b</string>"
        );
        assert_eq!(SerializedString::from_xml(&s.to_xml()), Ok(s));
    }
}
