//! The enumerated values of the classic API, parsed with exact case (the service rejects any other
//! spelling) and with an error that lists the valid values.

use std::fmt;

use thiserror::Error;

/// An enum whose values are fixed strings of the classic API.
pub trait StringEnum: Sized + Copy + 'static {
    /// What the value is, for messages ("gateway SKU").
    const KIND: &'static str;
    const VALUES: &'static [Self];
    fn as_str(self) -> &'static str;
}

#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("{value:?} is not a valid {kind}: expected one of {} (exact case){}",
    .valid.join(", "),
    .suggestion.map(|s| format!("; did you mean {s:?}?")).unwrap_or_default())]
pub struct ParseEnumError {
    pub kind: &'static str,
    pub value: String,
    pub valid: Vec<&'static str>,
    /// The valid value that differs only in case, if any.
    pub suggestion: Option<&'static str>,
}

/// Parses `text` as exactly one of `T::VALUES`.
pub fn parse_exact<T: StringEnum>(text: &str) -> Result<T, ParseEnumError> {
    T::VALUES
        .iter()
        .copied()
        .find(|v| v.as_str() == text)
        .ok_or_else(|| ParseEnumError {
            kind: T::KIND,
            value: text.to_owned(),
            valid: T::VALUES.iter().map(|v| v.as_str()).collect(),
            suggestion: T::VALUES
                .iter()
                .map(|v| v.as_str())
                .find(|v| v.eq_ignore_ascii_case(text)),
        })
}

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident, $kind:literal { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),+
        }

        impl StringEnum for $name {
            const KIND: &'static str = $kind;
            const VALUES: &'static [Self] = &[$(Self::$variant),+];
            fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = ParseEnumError;
            fn from_str(text: &str) -> Result<Self, ParseEnumError> {
                parse_exact(text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(
    /// `gateway_sku` / the API's `GatewaySize`. `Default` is the Basic SKU.
    Sku, "gateway SKU" {
        Default = "Default",
        Standard = "Standard",
        HighPerformance = "HighPerformance",
        UltraPerformance = "UltraPerformance",
    }
);

string_enum!(
    /// `gateway_type`: policy-based (static) or route-based (dynamic) routing.
    GatewayType, "gateway type" {
        DynamicRouting = "DynamicRouting",
        StaticRouting = "StaticRouting",
    }
);

string_enum!(
    /// The `type` attribute of a virtual network gateway: which of a coexisting VNet's two gateways.
    GatewayKind, "gateway kind" {
        ExpressRoute = "ExpressRoute",
        Vpn = "Vpn",
    }
);

string_enum!(
    /// `local_network_site_ref[*].connection_type`: `Dedicated` is ExpressRoute.
    SiteConnectionType, "site connection type" {
        Dedicated = "Dedicated",
        IPsec = "IPsec",
    }
);

string_enum!(
    /// `connection_type` of a gateway connection.
    ConnectionType, "gateway connection type" {
        IPsec = "IPsec",
        Vnet2Vnet = "Vnet2Vnet",
        Dedicated = "Dedicated",
        VpnClient = "VPNClient",
    }
);

string_enum!(
    /// An ExpressRoute circuit's `Status`.
    CircuitStatus, "circuit status" {
        Enabled = "Enabled",
        Enabling = "Enabling",
        Disabled = "Disabled",
        Disabling = "Disabling",
    }
);

string_enum!(
    /// Provisioning state of gateways, circuit links and a circuit's service provider side.
    ProvisioningState, "provisioning state" {
        NotProvisioned = "NotProvisioned",
        Provisioning = "Provisioning",
        Provisioned = "Provisioned",
        Deprovisioning = "Deprovisioning",
        ProvisioningError = "ProvisioningError",
    }
);

impl Sku {
    /// The name users know from the procedure: `Default` is the Basic SKU.
    pub fn describe(self) -> &'static str {
        match self {
            Sku::Default => "Default (Basic)",
            other => other.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips() {
        fn round_trip<T: StringEnum + std::str::FromStr + PartialEq + fmt::Debug>() {
            for v in T::VALUES {
                assert_eq!(parse_exact::<T>(v.as_str()).ok(), Some(*v));
            }
        }
        round_trip::<Sku>();
        round_trip::<GatewayType>();
        round_trip::<GatewayKind>();
        round_trip::<SiteConnectionType>();
        round_trip::<ConnectionType>();
        round_trip::<CircuitStatus>();
        round_trip::<ProvisioningState>();
    }

    #[test]
    fn parsing_is_exact_case_and_lists_valid_values() {
        let cases: [(&str, Option<&str>); 4] = [
            ("standard", Some("Standard")),
            ("HIGHPERFORMANCE", Some("HighPerformance")),
            ("Basic", None),
            (" Standard", None),
        ];
        for (input, suggestion) in cases {
            let err = input.parse::<Sku>().expect_err(input);
            assert_eq!(err.suggestion, suggestion, "{input}");
            let text = err.to_string();
            assert!(
                text.contains("Default, Standard, HighPerformance, UltraPerformance"),
                "{text}"
            );
            assert!(text.contains("gateway SKU"), "{text}");
        }
        assert_eq!(
            "ipsec"
                .parse::<SiteConnectionType>()
                .unwrap_err()
                .to_string(),
            "\"ipsec\" is not a valid site connection type: expected one of Dedicated, IPsec \
             (exact case); did you mean \"IPsec\"?"
        );
    }

    #[test]
    fn vpn_client_keeps_the_api_spelling() {
        assert_eq!(ConnectionType::VpnClient.as_str(), "VPNClient");
        assert_eq!(
            "VPNClient".parse::<ConnectionType>(),
            Ok(ConnectionType::VpnClient)
        );
    }
}
