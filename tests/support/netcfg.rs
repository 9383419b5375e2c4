//! Network configurations for tests, and how to compare their meaning.

use azureclassic::asm::xml::netcfg::NetworkConfiguration;

/// A network configuration with everything the provider must never lose: DNS servers, a local
/// network site, and an unmanaged VNet with a DNS reference and an ExpressRoute (`Dedicated`) gateway.
pub const EXISTING: &str = r#"<NetworkConfiguration xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.microsoft.com/ServiceHosting/2011/07/NetworkConfiguration">
  <VirtualNetworkConfiguration>
    <Dns>
      <DnsServers>
        <DnsServer name="dns1" IPAddress="10.0.0.4" />
      </DnsServers>
    </Dns>
    <LocalNetworkSites>
      <LocalNetworkSite name="MyLocalNetwork">
        <AddressSpace>
          <AddressPrefix>10.1.0.0/16</AddressPrefix>
        </AddressSpace>
        <VPNGatewayAddress>1.1.1.1</VPNGatewayAddress>
      </LocalNetworkSite>
    </LocalNetworkSites>
    <VirtualNetworkSites>
      <VirtualNetworkSite name="LegacyVNet" Location="West US">
        <AddressSpace>
          <AddressPrefix>192.168.100.0/24</AddressPrefix>
        </AddressSpace>
        <Subnets>
          <Subnet name="Frontend">
            <AddressPrefix>192.168.100.0/27</AddressPrefix>
          </Subnet>
          <Subnet name="GatewaySubnet">
            <AddressPrefix>192.168.100.32/27</AddressPrefix>
          </Subnet>
        </Subnets>
        <DnsServersRef>
          <DnsServerRef name="dns1" />
        </DnsServersRef>
        <Gateway>
          <ConnectionsToLocalNetwork>
            <LocalNetworkSiteRef name="MyLocalNetwork">
              <Connection type="Dedicated" />
            </LocalNetworkSiteRef>
          </ConnectionsToLocalNetwork>
        </Gateway>
      </VirtualNetworkSite>
    </VirtualNetworkSites>
  </VirtualNetworkConfiguration>
</NetworkConfiguration>"#;

/// The document's XML without the whitespace between elements, for comparing meaning.
pub fn compact(config: &NetworkConfiguration) -> String {
    let xml = config.to_xml();
    let mut out = String::with_capacity(xml.len());
    let mut between_tags = String::new();
    let mut after_tag = false;
    for c in xml.chars() {
        if after_tag && c.is_whitespace() {
            between_tags.push(c);
            continue;
        }
        if c != '<' {
            out.push_str(&between_tags);
        }
        between_tags.clear();
        after_tag = c == '>';
        out.push(c);
    }
    out
}
