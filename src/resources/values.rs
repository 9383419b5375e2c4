//! The enum values the classic API accepts, exactly as it spells them.

/// `azureclassic_virtual_network_gateway.type`.
pub const GATEWAY_KINDS: &[&str] = &["ExpressRoute", "Vpn"];

/// `gateway_sku`; `Default` is the Basic SKU.
pub const GATEWAY_SKUS: &[&str] = &["Default", "Standard", "HighPerformance", "UltraPerformance"];

/// `gateway_type`: route-based (`DynamicRouting`) or policy-based (`StaticRouting`).
pub const GATEWAY_ROUTING_TYPES: &[&str] = &["DynamicRouting", "StaticRouting"];

/// `connection_type` of a site reference or a gateway connection: `Dedicated` is ExpressRoute.
pub const CONNECTION_TYPES: &[&str] = &["Dedicated", "IPsec"];
