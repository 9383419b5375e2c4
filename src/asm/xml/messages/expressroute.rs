//! ExpressRoute classic circuits and their VNet links (asm-api.md section 5).

use super::{ElementBuilder, ListItem, Message};
use crate::asm::xml::tree::Element;
use crate::asm::xml::value::{opt_parse, opt_text, req_parse, req_text, wire_enum};
use crate::asm::xml::XmlError;

wire_enum! {
    CircuitStatus {
        Enabled = "Enabled",
        Enabling = "Enabling",
        Disabled = "Disabled",
        Disabling = "Disabling",
    }
}

wire_enum! {
    ProviderProvisioningState {
        NotProvisioned = "NotProvisioned",
        Provisioning = "Provisioning",
        Provisioned = "Provisioned",
        Deprovisioning = "Deprovisioning",
    }
}

wire_enum! {
    LinkState {
        NotProvisioned = "NotProvisioned",
        Provisioning = "Provisioning",
        Provisioned = "Provisioned",
        Deprovisioning = "Deprovisioning",
        ProvisioningError = "ProvisioningError",
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DedicatedCircuit {
    pub bandwidth: u32,
    pub billing_type: Option<String>,
    pub circuit_name: String,
    pub location: String,
    pub service_key: String,
    pub service_provider_name: String,
    pub service_provider_provisioning_state: ProviderProvisioningState,
    pub sku: Option<String>,
    pub status: CircuitStatus,
}

impl Message for DedicatedCircuit {
    const ROOT: &'static str = "DedicatedCircuit";

    fn write_children(&self, e: &mut Element) {
        e.push_text("Bandwidth", self.bandwidth);
        e.push_text_opt("BillingType", self.billing_type.as_ref());
        e.push_text("CircuitName", &self.circuit_name);
        e.push_text("Location", &self.location);
        e.push_text("ServiceKey", &self.service_key);
        e.push_text("ServiceProviderName", &self.service_provider_name);
        e.push_text(
            "ServiceProviderProvisioningState",
            self.service_provider_provisioning_state,
        );
        e.push_text_opt("Sku", self.sku.as_ref());
        e.push_text("Status", self.status);
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        Ok(DedicatedCircuit {
            bandwidth: opt_parse(e, "Bandwidth")?.unwrap_or(0),
            billing_type: opt_text(e, "BillingType"),
            circuit_name: opt_text(e, "CircuitName").unwrap_or_default(),
            location: opt_text(e, "Location").unwrap_or_default(),
            service_key: req_text(e, "ServiceKey")?,
            service_provider_name: opt_text(e, "ServiceProviderName").unwrap_or_default(),
            service_provider_provisioning_state: req_parse(e, "ServiceProviderProvisioningState")?,
            sku: opt_text(e, "Sku"),
            status: req_parse(e, "Status")?,
        })
    }
}

impl ListItem for DedicatedCircuit {
    const LIST: &'static str = "DedicatedCircuits";
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DedicatedCircuitLink {
    pub state: LinkState,
    pub vnet_name: String,
}

impl Message for DedicatedCircuitLink {
    const ROOT: &'static str = "DedicatedCircuitLink";

    fn write_children(&self, e: &mut Element) {
        e.push_text("State", self.state);
        e.push_text("VnetName", &self.vnet_name);
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        Ok(DedicatedCircuitLink {
            state: req_parse(e, "State")?,
            vnet_name: req_text(e, "VnetName")?,
        })
    }
}

impl ListItem for DedicatedCircuitLink {
    const LIST: &'static str = "DedicatedCircuitLinks";
}

#[cfg(test)]
mod tests {
    use super::super::{assert_round_trip, compact, List};
    use super::*;

    #[test]
    fn circuit_sample() {
        let sample = r#"<DedicatedCircuit xmlns="http://schemas.microsoft.com/windowsazure" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
  <Bandwidth>50</Bandwidth>
  <BillingType>UnlimitedData</BillingType>
  <CircuitName>circuit9026</CircuitName>
  <Location>Amsterdam</Location>
  <ServiceKey>aec3ca48-6940-41bb-95f0-929627ea42f6</ServiceKey>
  <ServiceProviderName>equinix</ServiceProviderName>
  <ServiceProviderProvisioningState>Provisioned</ServiceProviderProvisioningState>
  <Sku>Standard</Sku>
  <Status>Enabled</Status>
</DedicatedCircuit>"#;
        let c = DedicatedCircuit {
            bandwidth: 50,
            billing_type: Some("UnlimitedData".into()),
            circuit_name: "circuit9026".into(),
            location: "Amsterdam".into(),
            service_key: "aec3ca48-6940-41bb-95f0-929627ea42f6".into(),
            service_provider_name: "equinix".into(),
            service_provider_provisioning_state: ProviderProvisioningState::Provisioned,
            sku: Some("Standard".into()),
            status: CircuitStatus::Enabled,
        };
        assert_round_trip(sample, &c);
        assert_eq!(c.to_xml(), compact(sample));
        let list = List { items: vec![c] };
        assert_eq!(List::<DedicatedCircuit>::from_xml(&list.to_xml()), Ok(list));
    }

    #[test]
    fn link_sample() {
        let sample = "<DedicatedCircuitLink><State>Provisioned</State><VnetName>vnet1</VnetName></DedicatedCircuitLink>";
        let l = DedicatedCircuitLink {
            state: LinkState::Provisioned,
            vnet_name: "vnet1".into(),
        };
        assert_round_trip(sample, &l);
        assert!(l.to_xml().ends_with(
            "><State>Provisioned</State><VnetName>vnet1</VnetName></DedicatedCircuitLink>"
        ));
        let list = List { items: vec![l] };
        assert!(list.to_xml().starts_with("<DedicatedCircuitLinks "));
        assert_eq!(
            List::<DedicatedCircuitLink>::from_xml(&list.to_xml()),
            Ok(list)
        );
    }
}
