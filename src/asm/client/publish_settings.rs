//! `.publishsettings` files: the subscriptions, management URLs and management certificates they carry.
//!
//! Schema 1 puts `Url` and `ManagementCertificate` on `PublishProfile`; schema 2 puts
//! `ServiceManagementUrl` and `ManagementCertificate` on each `Subscription`. The subscription's
//! values win over the profile's.

use base64::Engine as _;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::secret::Secret;

#[derive(Debug, thiserror::Error)]
pub enum PublishSettingsError {
    #[error("the publish settings file is not well-formed XML: {0}")]
    Xml(String),
    #[error("the publish settings file lists no subscription")]
    NoSubscription,
    #[error("subscription {0} is not in the publish settings file")]
    UnknownSubscription(String),
    #[error("subscription {0} in the publish settings file has no management certificate")]
    NoCertificate(String),
    #[error("the management certificate of subscription {0} is not valid base64")]
    CertificateEncoding(String),
}

/// One subscription of a publish settings file, with the profile's defaults already applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedSubscription {
    pub id: String,
    pub name: String,
    pub management_url: Option<String>,
    /// Base64 of a PKCS#12 archive with an empty password.
    management_certificate: Option<Secret>,
}

impl PublishedSubscription {
    /// The DER bytes of the subscription's PKCS#12 management certificate.
    pub fn certificate_pkcs12(&self) -> Result<Vec<u8>, PublishSettingsError> {
        let encoded = self
            .management_certificate
            .as_ref()
            .ok_or_else(|| PublishSettingsError::NoCertificate(self.id.clone()))?;
        // Files wrap long attribute values; whitespace is not part of the base64 text.
        let compact: String = encoded
            .expose()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact)
            .map_err(|_| PublishSettingsError::CertificateEncoding(self.id.clone()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PublishSettings {
    pub subscriptions: Vec<PublishedSubscription>,
}

impl PublishSettings {
    pub fn parse(xml: &str) -> Result<Self, PublishSettingsError> {
        let mut reader = Reader::from_str(xml);
        let mut profile = ProfileDefaults::default();
        let mut subscriptions = Vec::new();
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                    b"PublishProfile" => {
                        profile = ProfileDefaults {
                            url: attribute(&e, "Url")?,
                            certificate: attribute(&e, "ManagementCertificate")?,
                        }
                    }
                    b"Subscription" => subscriptions.push(PublishedSubscription {
                        id: attribute(&e, "Id")?.unwrap_or_default(),
                        name: attribute(&e, "Name")?.unwrap_or_default(),
                        management_url: attribute(&e, "ServiceManagementUrl")?
                            .or_else(|| profile.url.clone()),
                        management_certificate: attribute(&e, "ManagementCertificate")?
                            .or_else(|| profile.certificate.clone())
                            .map(Secret::new),
                    }),
                    _ => {}
                },
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => return Err(PublishSettingsError::Xml(e.to_string())),
            }
        }
        Ok(Self { subscriptions })
    }

    /// The subscription with this id, or the first one when `id` is empty.
    pub fn select(&self, id: &str) -> Result<&PublishedSubscription, PublishSettingsError> {
        if id.is_empty() {
            return self
                .subscriptions
                .first()
                .ok_or(PublishSettingsError::NoSubscription);
        }
        self.subscriptions
            .iter()
            .find(|s| s.id.eq_ignore_ascii_case(id))
            .ok_or_else(|| PublishSettingsError::UnknownSubscription(id.to_string()))
    }
}

#[derive(Default)]
struct ProfileDefaults {
    url: Option<String>,
    certificate: Option<String>,
}

/// A non-empty attribute value; an empty value counts as absent so the profile's default applies.
fn attribute(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, PublishSettingsError> {
    for attr in e.attributes() {
        let attr = attr.map_err(|err| PublishSettingsError::Xml(err.to_string()))?;
        if attr.key.local_name().as_ref() == name.as_bytes() {
            let value = attr
                .unescape_value()
                .map_err(|err| PublishSettingsError::Xml(err.to_string()))?;
            return Ok((!value.trim().is_empty()).then(|| value.into_owned()));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<PublishData>
  <PublishProfile PublishMethod="AzureServiceManagementAPI" Url="https://management.core.windows.net/"
      ManagementCertificate="AAEC">
    <Subscription Id="11111111-1111-1111-1111-111111111111" Name="First" />
    <Subscription Id="22222222-2222-2222-2222-222222222222" Name="Second" />
  </PublishProfile>
</PublishData>"#;

    const V2: &str = r#"<PublishData><PublishProfile SchemaVersion="2.0" PublishMethod="AzureServiceManagementAPI">
  <Subscription ServiceManagementUrl="https://127.0.0.1:7443" Id="aaaa" Name="Own cert"
      ManagementCertificate="AQID
        BA==" />
  <Subscription ServiceManagementUrl="https://management.core.windows.net" Id="bbbb" Name="No cert" />
</PublishProfile></PublishData>"#;

    #[test]
    fn schema_1_takes_url_and_certificate_from_the_profile() {
        let ps = PublishSettings::parse(V1).unwrap();
        let second = ps.select("22222222-2222-2222-2222-222222222222").unwrap();
        assert_eq!(second.name, "Second");
        assert_eq!(
            second.management_url.as_deref(),
            Some("https://management.core.windows.net/")
        );
        assert_eq!(second.certificate_pkcs12().unwrap(), vec![0, 1, 2]);
    }

    #[test]
    fn empty_id_selects_the_first_subscription() {
        let ps = PublishSettings::parse(V1).unwrap();
        assert_eq!(ps.select("").unwrap().name, "First");
    }

    #[test]
    fn schema_2_uses_the_subscription_certificate_and_url() {
        let ps = PublishSettings::parse(V2).unwrap();
        let own = ps.select("AAAA").unwrap();
        assert_eq!(
            own.management_url.as_deref(),
            Some("https://127.0.0.1:7443")
        );
        assert_eq!(own.certificate_pkcs12().unwrap(), vec![1, 2, 3, 4]);
        assert!(matches!(
            ps.select("bbbb").unwrap().certificate_pkcs12(),
            Err(PublishSettingsError::NoCertificate(id)) if id == "bbbb"
        ));
    }

    #[test]
    fn subscription_certificate_wins_over_the_profile_certificate() {
        let xml = r#"<PublishData><PublishProfile ManagementCertificate="AAAA">
            <Subscription Id="s" Name="n" ManagementCertificate="AQID" /></PublishProfile></PublishData>"#;
        let ps = PublishSettings::parse(xml).unwrap();
        assert_eq!(
            ps.select("s").unwrap().certificate_pkcs12().unwrap(),
            vec![1, 2, 3]
        );
    }

    #[test]
    fn unknown_or_missing_subscriptions_are_typed_errors() {
        let ps = PublishSettings::parse(V1).unwrap();
        assert!(matches!(
            ps.select("nope"),
            Err(PublishSettingsError::UnknownSubscription(_))
        ));
        let empty = PublishSettings::parse("<PublishData/>").unwrap();
        assert!(matches!(
            empty.select(""),
            Err(PublishSettingsError::NoSubscription)
        ));
        assert!(PublishSettings::parse("<PublishData><PublishProfile").is_err());
    }

    #[test]
    fn debug_output_hides_the_certificate() {
        let ps = PublishSettings::parse(V2).unwrap();
        assert!(!format!("{ps:?}").contains("AQID"));
    }
}
