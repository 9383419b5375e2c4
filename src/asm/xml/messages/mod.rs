//! Typed request and response messages of the classic networking API (asm-api.md sections 0-6).
//!
//! Every message reads tolerantly (any element order, `i:nil` as absent, namespaces by local name) and
//! writes the documented element order in the `windowsazure` namespace, without an XML declaration.

mod connection;
mod expressroute;
mod gateway;
mod local_gateway;
mod operation;
mod vnet_gateway;
mod vnet_list;

pub use connection::{
    CreateGatewayConnectionParameters, GatewayConnection, GatewayConnectionType, SharedKey,
    UpdateGatewayConnectionParameters,
};
pub use expressroute::{
    CircuitStatus, DedicatedCircuit, DedicatedCircuitLink, LinkState, ProviderProvisioningState,
};
pub use gateway::{
    CreateGatewayParameters, Gateway, GatewayEvent, GatewaySize, GatewayState, GatewayType,
    UpdateGatewayOperation, UpdateGatewayParameters,
};
pub use local_gateway::{
    CreateLocalNetworkGatewayParameters, LocalNetworkGateway, SerializedString,
    UpdateLocalNetworkGatewayParameters,
};
pub use operation::{
    GatewayOperation, GatewayOperationAsyncResponse, GatewayOperationStatus, Operation,
    OperationStatus, ServiceError,
};
pub use vnet_gateway::{BgpSettings, CreateVirtualNetworkGatewayParameters, VirtualNetworkGateway};
pub use vnet_list::{VirtualNetworkSiteInfo, VnetGatewayInfo, VnetLocalSiteInfo, VnetSubnetInfo};

use super::error::XmlError;
use super::tree::{Document, Element, XSI_NS};
use super::value::expect_root;

/// The namespace of every management API message.
pub const WINDOWS_AZURE_NS: &str = "http://schemas.microsoft.com/windowsazure";
/// The namespace of `a:string` array items.
pub const ARRAYS_NS: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";
/// The namespace of a bare serialized `<string>`.
pub const SERIALIZATION_NS: &str = "http://schemas.microsoft.com/2003/10/Serialization/";

/// A message with a fixed root element.
pub trait Message: Sized {
    /// Local name of the root element.
    const ROOT: &'static str;

    /// Appends this message's children, in documented order, to `e`.
    fn write_children(&self, e: &mut Element);

    /// Reads the message from its root element (any child order).
    fn from_element(e: &Element) -> Result<Self, XmlError>;

    /// The element without namespace declarations (for nesting inside lists).
    fn to_element(&self) -> Element {
        let mut e = Element::new(Self::ROOT);
        self.write_children(&mut e);
        e
    }

    /// The document as the service writes it: default namespace `windowsazure` plus `xmlns:i`.
    fn to_xml(&self) -> String {
        let mut e = Element::new(Self::ROOT)
            .with_attr("xmlns", WINDOWS_AZURE_NS)
            .with_attr("xmlns:i", XSI_NS);
        self.write_children(&mut e);
        e.to_xml()
    }

    fn from_xml(input: &str) -> Result<Self, XmlError> {
        let doc = Document::parse(input)?;
        expect_root(&doc.root, Self::ROOT)?;
        Self::from_element(&doc.root)
    }
}

/// An item that also appears in a list document (`<VirtualNetworkGateways>` of `<VirtualNetworkGateway>`).
pub trait ListItem: Message {
    const LIST: &'static str;
}

/// A list document of `T` items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List<T> {
    pub items: Vec<T>,
}

impl<T: ListItem> Message for List<T> {
    const ROOT: &'static str = T::LIST;

    fn write_children(&self, e: &mut Element) {
        for item in &self.items {
            e.children.push(super::Node::Element(item.to_element()));
        }
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        let items = e
            .children_named(T::ROOT)
            .map(T::from_element)
            .collect::<Result<_, _>>()?;
        Ok(List { items })
    }
}

/// Writing helpers: one child element per call, in the order called.
pub(crate) trait ElementBuilder {
    fn push_text(&mut self, name: &str, value: impl std::fmt::Display);
    /// `<name>value</name>`, or `<name i:nil="true" />` when absent.
    fn push_text_or_nil(&mut self, name: &str, value: Option<impl std::fmt::Display>);
    /// `<name>value</name>` only when present.
    fn push_text_opt(&mut self, name: &str, value: Option<impl std::fmt::Display>);
    fn push_child(&mut self, child: Element);
}

impl ElementBuilder for Element {
    fn push_text(&mut self, name: &str, value: impl std::fmt::Display) {
        self.push_child(Element::new(name).with_text(&value.to_string()));
    }

    fn push_text_or_nil(&mut self, name: &str, value: Option<impl std::fmt::Display>) {
        match value {
            Some(v) => self.push_text(name, v),
            None => self.push_child(Element::new(name).with_attr("i:nil", "true")),
        }
    }

    fn push_text_opt(&mut self, name: &str, value: Option<impl std::fmt::Display>) {
        if let Some(v) = value {
            self.push_text(name, v);
        }
    }

    fn push_child(&mut self, child: Element) {
        self.children.push(super::Node::Element(child));
    }
}

/// An element holding `item` children with the given texts: `<name><item>v</item>...</name>`.
pub(crate) fn text_items(name: &str, item: &str, values: &[String]) -> Element {
    values.iter().fold(Element::new(name), |e, v| {
        e.with_child(Element::new(item).with_text(v))
    })
}

/// `<AddressSpace xmlns:a="...Arrays"><a:string>..</a:string></AddressSpace>` (section 4b).
pub(crate) fn arrays_address_space(values: &[String]) -> Element {
    let mut e = text_items("AddressSpace", "a:string", values);
    e.set_attr("xmlns:a", ARRAYS_NS);
    e
}

/// Reads a boolean the way DataContract writes it.
pub(crate) fn parse_bool(element: &str, v: &str) -> Result<bool, XmlError> {
    match v.trim() {
        "true" | "True" | "1" => Ok(true),
        "false" | "False" | "0" => Ok(false),
        other => Err(XmlError::InvalidValue {
            element: element.to_string(),
            value: other.to_string(),
        }),
    }
}

pub(crate) fn opt_bool(parent: &Element, local: &str) -> Result<Option<bool>, XmlError> {
    super::value::opt_text(parent, local)
        .map(|v| parse_bool(local, &v))
        .transpose()
}

#[cfg(test)]
pub(crate) fn assert_round_trip<T: Message + PartialEq + std::fmt::Debug>(
    sample: &str,
    expected: &T,
) {
    let parsed = T::from_xml(sample).expect("sample parses");
    assert_eq!(&parsed, expected);
    let written = expected.to_xml();
    assert_eq!(&T::from_xml(&written).expect("own output parses"), expected);
}

/// Strips the whitespace between elements of a pretty-printed sample, to compare with compact output.
#[cfg(test)]
pub(crate) fn compact(sample: &str) -> String {
    sample.lines().map(str::trim).collect::<Vec<_>>().join("")
}
