//! Fuzzing the emulator's request handling over real HTTP: random methods, paths (percent-encoding,
//! odd segments) and XML bodies built from the API's vocabulary, aimed at every route with the body
//! root that route reads, against an in-process emulator that already holds a VNet with a gateway.
//! Properties: every request is answered (no handler panic drops the connection), never with a 500,
//! every error is a well-formed `<Error>`, and the emulator still serves afterwards.
//!
//! Case count: `PROPTEST_CASES` overrides the default below.

mod fuzz_support;
mod support;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::Duration;

use azureclassic::asm::xml::messages::{Message, ServiceError};
use azureclassic::emulator::config::{CircuitSpec, OpDelays};
use azureclassic::emulator::{EmulatorConfig, Server};
use fuzz_support::{filled, xml_document, xml_message, NETCFG_TEMPLATE};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use support::netcfg::EXISTING;

/// Requests sent when `PROPTEST_CASES` is not set (about 15 s in a debug build).
const CASES: u32 = 3000;
const SUBSCRIPTION: &str = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const CIRCUIT: &str = "aec3ca48-6940-41bb-95f0-929627ea42f6";

/// Path segments: names that exist in the seeded state, ids, and hostile encodings.
const SEGMENTS: &[&str] = &[
    "LegacyVNet",
    "NoSuchVNet",
    CIRCUIT,
    "00000000-0000-0000-0000-000000000000",
    "",
    "%2e%2e",
    "%ff%fe",
    "%00",
    "%2F",
    "%",
    "a%20b",
    "gateway",
    "\u{e9}",
];

/// Every route of asm-api.md: the method it is mostly sent with, and the root element of the body
/// that method reads.
const ROUTES: &[(&str, &str, &str)] = &[
    ("PUT", "services/networking/media", "NetworkConfiguration"),
    ("GET", "services/networking/virtualnetwork", ""),
    ("GET", "operations/{}", ""),
    ("GET", "services/networking/operation/{}", ""),
    (
        "POST",
        "services/networking/{}/gateway",
        "CreateGatewayParameters",
    ),
    (
        "PUT",
        "services/networking/{}/gateway",
        "UpdateGatewayParameters",
    ),
    (
        "POST",
        "services/networking/{}/virtualnetworkgateways",
        "CreateVirtualNetworkGatewayParameters",
    ),
    ("GET", "services/networking/virtualnetworkgateways", ""),
    (
        "PUT",
        "services/networking/virtualnetworkgateways/{}",
        "UpdateGatewayParameters",
    ),
    (
        "POST",
        "services/networking/localnetworkgateways",
        "CreateLocalNetworkGatewayParameters",
    ),
    (
        "PUT",
        "services/networking/localnetworkgateways/{}",
        "UpdateLocalNetworkGatewayParameters",
    ),
    (
        "POST",
        "services/networking/gatewayconnections",
        "CreateGatewayConnectionParameters",
    ),
    (
        "PUT",
        "services/networking/gatewayconnections/virtualnetworkgateway/{}/connectedentity/{}",
        "UpdateGatewayConnectionParameters",
    ),
    ("GET", "services/networking/dedicatedcircuits", ""),
    ("GET", "services/networking/dedicatedcircuits/{}", ""),
    ("GET", "services/networking/dedicatedcircuits/{}/vnets", ""),
    (
        "POST",
        "services/networking/dedicatedcircuits/{}/vnets/{}",
        "",
    ),
    ("DELETE", "services/networking/{}/gateway", ""),
    (
        "DELETE",
        "services/networking/dedicatedcircuits/{}/vnets/{}",
        "",
    ),
    ("GET", "{}/{}/{}", ""),
];

/// Valid bodies, each value a hole `{v:DEFAULT}` (see `fuzz_support::filled`).
const TEMPLATES: &[(&str, &str)] = &[
    ("NetworkConfiguration", NETCFG_TEMPLATE),
    (
        "CreateGatewayParameters",
        r#"<CreateGatewayParameters xmlns="http://schemas.microsoft.com/windowsazure"><GatewaySize>{v:HighPerformance}</GatewaySize><gatewayType>{v:DynamicRouting}</gatewayType></CreateGatewayParameters>"#,
    ),
    (
        "UpdateGatewayParameters",
        r#"<UpdateGatewayParameters xmlns="http://schemas.microsoft.com/windowsazure"><GatewaySize>{v:Standard}</GatewaySize><Operation>{v:Resize}</Operation></UpdateGatewayParameters>"#,
    ),
    (
        "CreateVirtualNetworkGatewayParameters",
        r#"<CreateVirtualNetworkGatewayParameters xmlns="http://schemas.microsoft.com/windowsazure"><GatewayName>{v:S2SVPN}</GatewayName><GatewaySize>{v:HighPerformance}</GatewaySize><GatewayType>{v:DynamicRouting}</GatewayType><Location>{v:West US}</Location><VnetId>{v:00000000-0000-0000-0000-000000000000}</VnetId></CreateVirtualNetworkGatewayParameters>"#,
    ),
    (
        "CreateLocalNetworkGatewayParameters",
        r#"<CreateLocalNetworkGatewayParameters xmlns="http://schemas.microsoft.com/windowsazure"><AddressSpace xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><a:string>{v:10.50.0.0/16}</a:string><a:string>{v:10.51.0.0/16}</a:string></AddressSpace><GatewayName>{v:Onprem}</GatewayName><IpAddress>{v:23.39.1.2}</IpAddress></CreateLocalNetworkGatewayParameters>"#,
    ),
    (
        "UpdateLocalNetworkGatewayParameters",
        r#"<UpdateLocalNetworkGatewayParameters xmlns="http://schemas.microsoft.com/windowsazure"><AddressSpace xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><a:string>{v:10.52.0.0/16}</a:string></AddressSpace></UpdateLocalNetworkGatewayParameters>"#,
    ),
    (
        "CreateGatewayConnectionParameters",
        r#"<CreateGatewayConnectionParameters xmlns="http://schemas.microsoft.com/windowsazure"><ConnectedEntityId>{v:00000000-0000-0000-0000-000000000000}</ConnectedEntityId><GatewayConnectionName>{v:Azure2Local}</GatewayConnectionName><GatewayConnectionType>{v:IPsec}</GatewayConnectionType><VirtualNetworkGatewayId>{v:00000000-0000-0000-0000-000000000000}</VirtualNetworkGatewayId><RoutingWeight>{v:3}</RoutingWeight><SharedKey>{v:key}</SharedKey></CreateGatewayConnectionParameters>"#,
    ),
    (
        "UpdateGatewayConnectionParameters",
        r#"<UpdateGatewayConnectionParameters xmlns="http://schemas.microsoft.com/windowsazure"><RoutingWeight>{v:5}</RoutingWeight><SharedKey>{v:key2}</SharedKey><EnableBgp>{v:false}</EnableBgp></UpdateGatewayConnectionParameters>"#,
    ),
];

fn body_template(root: &str) -> &'static str {
    TEMPLATES
        .iter()
        .find(|(r, _)| *r == root)
        .map_or("", |(_, t)| *t)
}

#[derive(Debug, Clone)]
struct Case {
    method: &'static str,
    path: String,
    body: String,
    version: &'static str,
}

fn case() -> impl Strategy<Value = Case> {
    let any_method = prop::sample::select(&["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"][..]);
    let route = prop::sample::select(ROUTES);
    // Mostly names that exist, so requests get past the lookups into the checks.
    let segment = prop_oneof![
        3 => Just("LegacyVNet"),
        1 => Just(CIRCUIT),
        2 => prop::sample::select(SEGMENTS),
    ];
    let segments = prop::collection::vec(segment, 3);
    let version = prop_oneof![8 => Just("2016-07-01"), 1 => Just(""), 1 => Just("bogus")];
    (route, any_method, any::<u8>(), segments, version).prop_flat_map(
        |((usual, route_template, root), other, pick, segments, version)| {
            let method = if pick % 4 == 0 { other } else { usual };
            let mut path = route_template.to_string();
            for s in &segments {
                path = path.replacen("{}", s, 1);
            }
            let body = if root.is_empty() {
                xml_document().boxed()
            } else {
                prop_oneof![
                    4 => filled(body_template(root)),
                    2 => xml_message(root),
                    1 => xml_document(),
                ]
                .boxed()
            };
            body.prop_map(move |body| Case {
                method,
                path: format!("/{SUBSCRIPTION}/{path}"),
                body,
                version,
            })
        },
    )
}

async fn send(
    http: &reqwest::Client,
    addr: SocketAddr,
    case: &Case,
) -> Result<(u16, String), reqwest::Error> {
    let method = reqwest::Method::from_bytes(case.method.as_bytes()).expect("valid method");
    let response = http
        .request(method, format!("http://{addr}{}", case.path))
        .header("x-ms-version", case.version)
        .header("content-type", "application/xml")
        .body(case.body.clone())
        .send()
        .await?;
    let status = response.status().as_u16();
    Ok((status, response.text().await?))
}

fn check(
    answer: Result<(u16, String), reqwest::Error>,
    case: &Case,
    statuses: &Mutex<BTreeMap<u16, usize>>,
) -> Result<(), TestCaseError> {
    let (status, body) = answer.map_err(|e| TestCaseError::fail(format!("no answer: {e}")))?;
    *statuses
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .entry(status)
        .or_insert(0) += 1;
    prop_assert!(status != 500, "500 for {case:?}: {body}");
    if status >= 400 && case.method != "HEAD" {
        prop_assert!(
            ServiceError::from_xml(&body).is_ok(),
            "error {status} is not an <Error>: {body}"
        );
    }
    Ok(())
}

#[test]
fn random_requests_are_all_answered_without_internal_errors() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let config = EmulatorConfig {
        listen: "127.0.0.1:0".parse().expect("address"),
        state_dir: None,
        op_delays: OpDelays::default(),
        circuits: vec![CIRCUIT.parse::<CircuitSpec>().expect("circuit")],
        faults: None,
        request_log: None,
        tls: None,
    };
    let server = runtime
        .block_on(Server::bind(config))
        .expect("emulator binds");
    let addr = server.local_addr().expect("address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = runtime.spawn(server.serve_until(async {
        let _ = stopped.await;
    }));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("HTTP client");

    // The state a real subscription has: a network configuration with a VNet and its gateway.
    let seed = Case {
        method: "PUT",
        path: format!("/{SUBSCRIPTION}/services/networking/media"),
        body: EXISTING.to_string(),
        version: "2016-07-01",
    };
    let (status, body) = runtime
        .block_on(send(&http, addr, &seed))
        .expect("seed answered");
    assert_eq!(status, 202, "{body}");

    let cases = fuzz_support::cases(CASES);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let statuses = Mutex::new(BTreeMap::new());
    let result = runner.run(&case(), |case| {
        check(runtime.block_on(send(&http, addr, &case)), &case, &statuses)
    });

    // Still serving, with the seeded VNet intact or replaced by a valid configuration.
    let list = Case {
        method: "GET",
        path: format!("/{SUBSCRIPTION}/services/networking/virtualnetwork"),
        body: String::new(),
        version: "2016-07-01",
    };
    let alive = runtime.block_on(send(&http, addr, &list));
    // A body far over the 4 MB limit is refused, not buffered whole.
    let oversized = Case {
        body: format!("<NetworkConfiguration>{}", "x".repeat(64 << 20)),
        ..seed
    };
    let started = std::time::Instant::now();
    let refused = runtime.block_on(send(&http, addr, &oversized));
    let _ = stop.send(());
    let _ = runtime.block_on(serving);
    if let Err(failure) = result {
        panic!("{failure}");
    }
    let (status, _) = alive.expect("the emulator still answers");
    assert_eq!(status, 200);
    // Either a 400 or a reset while the client still sends: never a stall, never a 500.
    eprintln!(
        "64 MB body: {:?} after {:?}",
        refused.as_ref().map(|(status, _)| status),
        started.elapsed()
    );
    if let Ok((status, body)) = refused {
        assert_eq!(status, 400, "{body}");
    }
    assert!(started.elapsed() < Duration::from_secs(20));
    // The bodies reached the handlers, not only the parser: some requests were accepted.
    let statuses = statuses.into_inner().unwrap_or_else(|p| p.into_inner());
    eprintln!("{cases} random requests, answers by status: {statuses:?}");
    let accepted: usize = statuses.range(200..300).map(|(_, n)| n).sum();
    let changes: usize = statuses.range(201..=202).map(|(_, n)| n).sum();
    assert!(
        accepted * 20 > cases as usize && changes > 0,
        "too few requests reached the handlers: {statuses:?}"
    );
}
