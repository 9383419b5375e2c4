//! Runs the real `azureclassic-emulator` binary on a free loopback port and talks to it with plain
//! reqwest and string matching: deliberately none of the crate's own API client or XML code, so a bug
//! there cannot hide in both the emulator and its tests.

#![allow(dead_code)] // each test file uses a different part of this support module

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub const NETWORK_VERSION: &str = "2016-07-01";
pub const EXPRESSROUTE_VERSION: &str = "2011-10-01";
pub const SERVICE_KEY: &str = "aec3ca48-6940-41bb-95f0-929627ea42f6";
pub const SUB: &str = "0b1f6471-1bf0-4dda-aec3-111122223333";

/// A running emulator, killed on drop.
pub struct Emulator {
    child: Child,
    /// `http://127.0.0.1:PORT` (or https).
    pub url: String,
    pub state_dir: Option<PathBuf>,
}

impl Emulator {
    /// Starts the emulator with `args` (plus `--listen 127.0.0.1:0`) and waits for its startup line.
    pub fn start(args: &[&str]) -> Emulator {
        let mut child = Command::new(env!("CARGO_BIN_EXE_azureclassic-emulator"))
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("emulator starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                panic!("emulator did not print its startup line");
            }
        };
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://") || w.starts_with("https://"))
            .unwrap_or_else(|| panic!("no URL in startup line {line:?}"))
            .to_string();
        let state_dir = args
            .iter()
            .position(|a| *a == "--state-dir")
            .and_then(|i| args.get(i + 1))
            .map(PathBuf::from);
        Emulator {
            child,
            url,
            state_dir,
        }
    }

    /// SIGKILL: no chance to flush anything.
    pub fn kill_hard(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then the exit status (bounded wait).
    pub fn terminate(&mut self) -> Option<std::process::ExitStatus> {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    pub fn api(&self, subscription: &str) -> Api {
        Api::new(
            reqwest::Client::new(),
            &format!("{}/{subscription}", self.url),
        )
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response, as seen on the wire.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub body: String,
    pub request_id: Option<String>,
    pub content_type: Option<String>,
}

impl Resp {
    /// The text of the first `<name>` element.
    pub fn tag(&self, name: &str) -> Option<String> {
        tag(&self.body, name)
    }

    pub fn error_code(&self) -> Option<String> {
        self.tag("Code")
    }

    #[track_caller]
    pub fn expect(self, status: u16) -> Resp {
        assert_eq!(self.status, status, "unexpected answer: {self:?}");
        self
    }

    #[track_caller]
    pub fn expect_error(self, status: u16, code: &str, message_part: &str) -> Resp {
        assert_eq!(self.status, status, "unexpected answer: {self:?}");
        assert_eq!(self.error_code().as_deref(), Some(code), "{self:?}");
        let message = self.tag("Message").unwrap_or_default();
        assert!(
            message.contains(message_part),
            "message {message:?} lacks {message_part:?}"
        );
        self
    }
}

/// The text of the first `<name>...</name>` in `xml` (no attributes on the element).
pub fn tag(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&close)?;
    Some(xml[start..end].to_string())
}

/// Every `<name>...</name>` block's text in `xml`.
pub fn tags(xml: &str, name: &str) -> Vec<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        let Some(j) = after.find(&close) else { break };
        out.push(after[..j].to_string());
        rest = &after[j + close.len()..];
    }
    out
}

pub struct Api {
    client: reqwest::Client,
    /// `{url}/{subscription}`
    pub base: String,
}

impl Api {
    pub fn new(client: reqwest::Client, base: &str) -> Api {
        Api {
            client,
            base: base.to_string(),
        }
    }

    /// `path` is relative to the subscription, e.g. `services/networking/media`.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        version: Option<&str>,
        body: Option<&str>,
    ) -> Resp {
        let mut req = self
            .client
            .request(method, format!("{}/{path}", self.base))
            .timeout(Duration::from_secs(20));
        if let Some(v) = version {
            req = req.header("x-ms-version", v);
        }
        if let Some(b) = body {
            req = req
                .header("content-type", "application/xml")
                .body(b.to_string());
        }
        let resp = req.send().await.expect("request answered");
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let request_id = header("x-ms-request-id");
        let content_type = header("content-type");
        let body = resp.text().await.expect("body");
        let r = Resp {
            status,
            body,
            request_id,
            content_type,
        };
        assert_request_id(&r);
        r
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.call(reqwest::Method::GET, path, Some(NETWORK_VERSION), None)
            .await
    }

    pub async fn post(&self, path: &str, body: &str) -> Resp {
        self.call(
            reqwest::Method::POST,
            path,
            Some(NETWORK_VERSION),
            Some(body),
        )
        .await
    }

    pub async fn put(&self, path: &str, body: &str) -> Resp {
        self.call(
            reqwest::Method::PUT,
            path,
            Some(NETWORK_VERSION),
            Some(body),
        )
        .await
    }

    pub async fn patch(&self, path: &str, body: &str) -> Resp {
        self.call(
            reqwest::Method::PATCH,
            path,
            Some(NETWORK_VERSION),
            Some(body),
        )
        .await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.call(reqwest::Method::DELETE, path, Some(NETWORK_VERSION), None)
            .await
    }

    /// ExpressRoute calls: their own version and `?api-version=1.0`.
    pub async fn expressroute(&self, method: reqwest::Method, path: &str) -> Resp {
        let path = format!("services/networking/dedicatedcircuits/{path}?api-version=1.0");
        self.call(method, &path, Some(EXPRESSROUTE_VERSION), None)
            .await
    }

    /// PUTs a network configuration and polls its style-A operation to `Succeeded`.
    pub async fn put_netcfg(&self, xml: &str) {
        let r = self.put("services/networking/media", xml).await.expect(202);
        assert!(r.body.is_empty());
        let id = r.request_id.expect("request id");
        self.poll_subscription_operation(&id).await;
    }

    /// Polls `operations/{request-id}` until `Succeeded` (bounded).
    pub async fn poll_subscription_operation(&self, request_id: &str) -> Resp {
        for _ in 0..400 {
            let r = self
                .get(&format!("operations/{request_id}"))
                .await
                .expect(200);
            match r.tag("Status").as_deref() {
                Some("InProgress") => tokio::time::sleep(Duration::from_millis(25)).await,
                Some("Succeeded") => {
                    assert_eq!(r.tag("HttpStatusCode").as_deref(), Some("200"));
                    return r;
                }
                other => panic!("operation {request_id}: status {other:?}: {}", r.body),
            }
        }
        panic!("operation {request_id} did not complete");
    }

    /// Polls `services/networking/operation/{id}` until `Successful` (bounded).
    pub async fn poll_gateway_operation(&self, id: &str) -> Resp {
        for _ in 0..400 {
            let r = self
                .get(&format!("services/networking/operation/{id}"))
                .await
                .expect(200);
            match r.tag("Status").as_deref() {
                Some("InProgress") => tokio::time::sleep(Duration::from_millis(25)).await,
                Some("Successful") => {
                    assert_eq!(r.tag("HttpStatusCode").as_deref(), Some("OK"));
                    return r;
                }
                other => panic!("operation {id}: status {other:?}: {}", r.body),
            }
        }
        panic!("operation {id} did not complete");
    }

    /// Starts a gateway-manager operation (expecting `status`) and waits for it.
    pub async fn complete(&self, started: Resp, status: u16) -> Resp {
        let started = started.expect(status);
        let id = started.tag("ID").expect("operation id");
        self.poll_gateway_operation(&id).await
    }
}

/// Every response carries `x-ms-request-id`: 32 lowercase hex characters.
#[track_caller]
pub fn assert_request_id(r: &Resp) {
    let id = r.request_id.as_deref().unwrap_or_default();
    assert!(
        id.len() == 32
            && id
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
        "bad x-ms-request-id {id:?}"
    );
}

/// The procedure's network configuration: a /26 VNet with a /27 GatewaySubnet and a Dedicated site
/// reference, plus the local site it names. `gateway_subnet` and `extra` vary it for the violation tests.
pub fn procedure_netcfg_with(gateway_subnet: &str, extra_sites: &str) -> String {
    format!(
        r#"<NetworkConfiguration xmlns="http://schemas.microsoft.com/ServiceHosting/2011/07/NetworkConfiguration">
  <VirtualNetworkConfiguration>
    <LocalNetworkSites>
      <LocalNetworkSite name="MyLocalNetwork">
        <AddressSpace><AddressPrefix>10.1.2.0/24</AddressPrefix></AddressSpace>
        <VPNGatewayAddress>23.39.1.2</VPNGatewayAddress>
      </LocalNetworkSite>
    </LocalNetworkSites>
    <VirtualNetworkSites>
      <VirtualNetworkSite name="MyAzureVNET" Location="Central US">
        <AddressSpace>
          <AddressPrefix>10.17.159.192/26</AddressPrefix>
        </AddressSpace>
        <Subnets>
          <Subnet name="Subnet-1">
            <AddressPrefix>10.17.159.192/27</AddressPrefix>
          </Subnet>
          <Subnet name="GatewaySubnet">
            <AddressPrefix>{gateway_subnet}</AddressPrefix>
          </Subnet>
        </Subnets>
        <Gateway>
          <ConnectionsToLocalNetwork>
            <LocalNetworkSiteRef name="MyLocalNetwork">
              <Connection type="Dedicated" />
            </LocalNetworkSiteRef>
          </ConnectionsToLocalNetwork>
        </Gateway>
      </VirtualNetworkSite>{extra_sites}
    </VirtualNetworkSites>
  </VirtualNetworkConfiguration>
</NetworkConfiguration>"#
    )
}

pub fn procedure_netcfg() -> String {
    procedure_netcfg_with("10.17.159.224/27", "")
}

pub const ER_GATEWAY: &str = r#"<CreateGatewayParameters xmlns="http://schemas.microsoft.com/windowsazure"><GatewaySize>HighPerformance</GatewaySize><gatewayType>DynamicRouting</gatewayType></CreateGatewayParameters>"#;

pub fn vpn_gateway(size: &str, routing: &str) -> String {
    format!(
        r#"<CreateVirtualNetworkGatewayParameters xmlns="http://schemas.microsoft.com/windowsazure"><GatewayName>S2SVPN</GatewayName><GatewaySize>{size}</GatewaySize><GatewayType>{routing}</GatewayType></CreateVirtualNetworkGatewayParameters>"#
    )
}

pub fn local_gateway(prefix: &str) -> String {
    format!(
        r#"<CreateLocalNetworkGatewayParameters xmlns="http://schemas.microsoft.com/windowsazure"><AddressSpace xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><a:string>{prefix}</a:string></AddressSpace><GatewayName>MyLocalNetwork</GatewayName><IpAddress>23.39.1.2</IpAddress></CreateLocalNetworkGatewayParameters>"#
    )
}

pub fn connection(gateway_id: &str, local_id: &str) -> String {
    format!(
        r#"<CreateGatewayConnectionParameters xmlns="http://schemas.microsoft.com/windowsazure"><ConnectedEntityId>{local_id}</ConnectedEntityId><GatewayConnectionName>Azure2Local</GatewayConnectionName><GatewayConnectionType>IPsec</GatewayConnectionType><VirtualNetworkGatewayId>{gateway_id}</VirtualNetworkGatewayId><RoutingWeight>3</RoutingWeight><SharedKey>abc123</SharedKey></CreateGatewayConnectionParameters>"#
    )
}

pub const VNET_GATEWAY_PATH: &str = "services/networking/MyAzureVNET/gateway";
pub const VPN_CREATE_PATH: &str =
    "services/networking/MyAzureVNET/virtualnetworkgateways?api-version=2016-07-01";
pub const VPN_LIST_PATH: &str = "services/networking/virtualnetworkgateways?api-version=2016-07-01";
pub const LOCAL_PATH: &str = "services/networking/localnetworkgateways?api-version=2016-07-01";
pub const CONNECTIONS_PATH: &str = "services/networking/gatewayconnections?api-version=2016-07-01";

/// Ids of the coexisting stack built by [`build_procedure`].
pub struct Stack {
    pub expressroute_gateway_id: String,
    pub vpn_gateway_id: String,
    pub local_gateway_id: String,
}

impl Stack {
    pub fn vpn_gateway_path(&self) -> String {
        format!(
            "services/networking/virtualnetworkgateways/{}",
            self.vpn_gateway_id
        )
    }

    pub fn local_gateway_path(&self) -> String {
        format!(
            "services/networking/localnetworkgateways/{}?api-version=2016-07-01",
            self.local_gateway_id
        )
    }

    pub fn connection_path(&self) -> String {
        format!(
            "services/networking/gatewayconnections/virtualnetworkgateway/{}/connectedentity/{}?api-version=2016-07-01",
            self.vpn_gateway_id, self.local_gateway_id
        )
    }
}

/// Creates the `S2SVPN` gateway on MyAzureVNET, waits for it, and finds its id by listing and
/// matching the name (the create answer carries none).
pub async fn create_vpn_gateway(api: &Api) -> String {
    api.complete(
        api.post(
            VPN_CREATE_PATH,
            &vpn_gateway("HighPerformance", "DynamicRouting"),
        )
        .await,
        201,
    )
    .await;
    let list = api.get(VPN_LIST_PATH).await.expect(200);
    let vpn = tags(&list.body, "VirtualNetworkGateway")
        .into_iter()
        .find(|g| tag(g, "GatewayName").as_deref() == Some("S2SVPN"))
        .expect("S2SVPN listed");
    assert_eq!(tag(&vpn, "State").as_deref(), Some("Provisioned"));
    tag(&vpn, "GatewayId").expect("gateway id")
}

/// Creates a local network gateway (synchronous) and returns the id from its `<string>` answer.
pub async fn create_local_gateway(api: &Api, prefix: &str) -> String {
    let local = api
        .post(LOCAL_PATH, &local_gateway(prefix))
        .await
        .expect(200);
    let prefix = "<string xmlns=\"http://schemas.microsoft.com/2003/10/Serialization/\">";
    local
        .body
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix("</string>"))
        .unwrap_or_else(|| panic!("not a serialized string: {}", local.body))
        .to_string()
}

/// The procedure's first path, in the document's order; asserts every step.
pub async fn build_procedure(api: &Api) -> Stack {
    // 1-3. Network configuration with a /27 GatewaySubnet and a Dedicated reference.
    api.put_netcfg(&procedure_netcfg()).await;
    // 4. ExpressRoute gateway.
    api.complete(api.post(VNET_GATEWAY_PATH, ER_GATEWAY).await, 201)
        .await;
    let er = api.get(VNET_GATEWAY_PATH).await.expect(200);
    assert_eq!(er.tag("State").as_deref(), Some("Provisioned"));
    assert!(er.tag("VIPAddress").is_some());
    // 5. Circuit link.
    let link = format!("{SERVICE_KEY}/vnets/MyAzureVNET");
    api.complete(api.expressroute(reqwest::Method::POST, &link).await, 202)
        .await;
    let l = api
        .expressroute(reqwest::Method::GET, &link)
        .await
        .expect(200);
    assert_eq!(l.tag("State").as_deref(), Some("Provisioned"));
    // 6. S2S VPN gateway; its id comes from the list, matched by name.
    let vpn_gateway_id = create_vpn_gateway(api).await;
    // 7. Local network gateway.
    let local_gateway_id = create_local_gateway(api, "10.1.2.0/24").await;
    // 9. Connection.
    api.complete(
        api.post(
            CONNECTIONS_PATH,
            &connection(&vpn_gateway_id, &local_gateway_id),
        )
        .await,
        202,
    )
    .await;
    Stack {
        expressroute_gateway_id: er.tag("GatewayId").expect("gateway id"),
        vpn_gateway_id,
        local_gateway_id,
    }
}

/// A fresh temporary state directory path (the directory itself is created by the emulator).
pub fn state_dir(tmp: &Path) -> String {
    tmp.join("state").display().to_string()
}
