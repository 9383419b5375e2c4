//! Reliability and secrecy with the real Terraform, the real provider and the emulator: the full
//! coexisting stack converges in one apply while the service fails a fifth of its requests and loses
//! the answers of a tenth of its changes; thirty VNets created at once all land in the network
//! configuration, through far fewer writes than VNets, without losing a VNet Terraform does not
//! manage; the certificate password never shows, whatever the log level.
//!
//! Each test runs with Terraform 1.0.3 only (the baseline): they are about the provider and the
//! service, not about Terraform versions, and each takes a while.

mod support;

use std::collections::BTreeMap;

use base64::Engine as _;
use support::emulator::{Emulator, LoggedRequest};
use support::netcfg::{compact, EXISTING};
use support::stack::{Stack, CIRCUIT_KEY};
use support::{required_providers, terraforms, Terraform, Workspace};

fn baseline() -> Terraform {
    terraforms().remove(0)
}

/// The injected faults in a request log, by kind: what the provider had to retry.
fn faults(requests: &[LoggedRequest]) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for r in requests {
        let kind = match (r.status, r.answer_lost) {
            (_, true) => "answer lost after the change",
            (0, _) => "connection dropped",
            (429, _) => "429 TooManyRequests",
            (503, _) => "503 ServerBusy",
            (500, _) => "500 InternalError",
            _ => continue,
        };
        *counts.entry(kind).or_insert(0) += 1;
    }
    counts
}

/// Lines of a TF_LOG file in which the provider says it retries.
fn provider_retries(log: &str) -> usize {
    log.lines().filter(|l| l.contains("retrying")).count()
}

/// Fault sequences tried: each apply meets different faults at different steps.
const FAULT_SEEDS: [&str; 4] = ["1", "2", "3", "20261126"];

#[test]
fn coexisting_example_converges_in_one_apply_under_faults_without_duplicates() {
    for seed in FAULT_SEEDS {
        converges_under_faults(seed);
    }
}

fn converges_under_faults(seed: &str) {
    let mut stack = Stack::new(
        &baseline(),
        &[
            "--fault-rate",
            "0.2",
            "--fault-after-rate",
            "0.1",
            "--fault-seed",
            seed,
        ],
    );
    let log = stack.ws.path().join("tf-debug.log");
    stack.ws.set_env("TF_LOG", "debug");
    stack.ws.set_env("TF_LOG_PATH", &log.display().to_string());
    stack.use_example(
        "examples/coexisting-new-vnet",
        &[
            ("circuit_service_key", CIRCUIT_KEY),
            ("shared_key", "faulty-service-key-5c1e"),
        ],
    );
    stack.apply();
    let applied_requests = stack.requests();
    let retries = provider_retries(&std::fs::read_to_string(&log).unwrap_or_default());

    // Exactly one of each object.
    let counts = object_counts(&stack);
    for (what, n) in counts {
        assert_eq!(n, 1, "seed {seed}: {what}: {n}");
    }
    stack.assert_clean_plan();

    let injected = faults(&applied_requests);
    eprintln!(
        "apply under --fault-rate 0.2 --fault-after-rate 0.1 --fault-seed {seed}: {} requests, \
         injected {injected:?}, provider log 'retrying' lines: {retries}",
        applied_requests.len()
    );
    assert!(
        injected.values().sum::<usize>() > 0,
        "no fault was injected: the test proves nothing"
    );
    assert!(retries > 0, "the provider logged no retry");

    // And back: destroy under the same faults leaves nothing.
    stack.destroy();
    for (what, n) in object_counts(&stack) {
        assert_eq!(n, 0, "seed {seed}: {what} left after destroy");
    }
}

/// How many of each object of the coexisting example the service holds.
fn object_counts(stack: &Stack) -> [(&'static str, usize); 6] {
    stack.outside_terraform(|client, ctx| async move {
        let er = client.get_vnet_gateway(&ctx, "MyAzureVNET").await;
        let vpn = client.list_vpn_gateways(&ctx).await.expect("VPN gateways");
        let locals = client
            .list_local_network_gateways(&ctx)
            .await
            .expect("local network gateways");
        let links = client
            .list_circuit_links(&ctx, CIRCUIT_KEY)
            .await
            .expect("circuit links");
        let connections = client
            .list_gateway_connections(&ctx)
            .await
            .expect("connections");
        let vnets = client
            .get_network_config(&ctx)
            .await
            .expect("netcfg")
            .virtual_network_sites()
            .len();
        let er_gateways = er.map_or(0, |g| usize::from(g.gateway_id.is_some()));
        [
            ("ExpressRoute gateways", er_gateways),
            ("VPN gateways", vpn.len()),
            ("local network gateways", locals.len()),
            ("circuit links", links.len()),
            ("connections", connections.len()),
            ("VNets", vnets),
        ]
    })
}

/// `count` VNets, each with its own /24 and a GatewaySubnet.
fn many_vnets(count: usize) -> String {
    format!(
        r#"
resource "azureclassic_virtual_network" "many" {{
  count         = {count}
  name          = "Many${{count.index}}"
  location      = "Central US"
  address_space = ["10.${{count.index + 100}}.0.0/24"]
  subnet {{
    name           = "Subnet-1"
    address_prefix = "10.${{count.index + 100}}.0.0/25"
  }}
  subnet {{
    name           = "GatewaySubnet"
    address_prefix = "10.${{count.index + 100}}.0.128/27"
  }}
}}
"#
    )
}

#[test]
fn thirty_vnets_in_one_apply_all_land_through_coalesced_writes_keeping_an_unmanaged_vnet() {
    const VNETS: usize = 30;
    let stack = Stack::new(&baseline(), &["--op-delay", "netcfg=300ms"]);
    let before = stack.replace_network_config(EXISTING);
    stack.write_config(&many_vnets(VNETS));
    let from = stack.request_count();
    stack.ok(&[
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-parallelism=30",
    ]);
    let puts = stack
        .mutating_requests_since(from)
        .iter()
        .filter(|r| r.as_str() == "PUT /services/networking/media")
        .count();

    let after = stack.outside_terraform(|client, ctx| async move {
        client.get_network_config(&ctx).await.expect("netcfg")
    });
    let names: Vec<String> = after
        .virtual_network_sites()
        .into_iter()
        .map(|s| s.name)
        .collect();
    for i in 0..VNETS {
        let name = format!("Many{i}");
        assert!(names.contains(&name), "{name} lost: {names:?}");
    }
    assert_eq!(names.len(), VNETS + 1, "{names:?}");
    // The unmanaged VNet, DNS servers and local site are kept, to the element: remove the managed
    // VNets again and the document means what it meant before.
    let mut without_managed = after.clone();
    for i in 0..VNETS {
        without_managed.remove_virtual_network_site(&format!("Many{i}"));
    }
    assert_eq!(
        compact(&without_managed.normalized()),
        compact(&before.normalized())
    );
    eprintln!("{VNETS} VNets at -parallelism=30: {puts} network configuration PUTs");
    assert!(
        (1..VNETS / 3).contains(&puts),
        "{puts} PUTs for {VNETS} VNets: writes were not coalesced"
    );
    stack.assert_clean_plan();
}

const CERT_PASSWORD: &str = "Pw-never-shown-3b9d1e";

/// The publish settings' PKCS#12 (empty password) written again under `password`.
fn protect_certificate(publish_settings: &std::path::Path, password: &str) -> Vec<u8> {
    let xml = std::fs::read_to_string(publish_settings).expect("publish settings");
    let start = xml
        .find("ManagementCertificate=\"")
        .expect("certificate attribute")
        + "ManagementCertificate=\"".len();
    let end = start + xml[start..].find('"').expect("attribute end");
    let p12 = base64::engine::general_purpose::STANDARD
        .decode(&xml[start..end])
        .expect("base64");
    let store = p12_keystore::KeyStore::from_pkcs12(&p12, "").expect("empty password opens it");
    store.writer(password).write().expect("PKCS#12 written")
}

fn assert_no_password(what: &str, text: &str) {
    assert!(
        !text.contains(CERT_PASSWORD),
        "{what} shows the certificate password"
    );
}

#[test]
fn certificate_password_never_shows_in_trace_logs_plans_state_or_errors() {
    const SUBSCRIPTION: &str = "4f1d6f9e-8f2a-4c41-b2a4-3e5f7a9b0c1d";
    let (emulator, publish_settings, ca) = Emulator::start_tls(SUBSCRIPTION);
    let mut ws = Workspace::new(&baseline());
    let p12 = ws.path().join("management.pfx");
    std::fs::write(&p12, protect_certificate(&publish_settings, CERT_PASSWORD)).expect("pfx");
    let log = ws.path().join("tf-trace.log");
    ws.set_env("TF_LOG", "trace");
    ws.set_env("TF_LOG_PATH", &log.display().to_string());
    let config = format!(
        r#"{}
variable "password" {{
  type      = string
  sensitive = true
}}
provider "azureclassic" {{
  subscription_id                 = "{SUBSCRIPTION}"
  management_url                  = "{url}"
  management_certificate_file     = "{p12}"
  management_certificate_password = var.password
  trusted_root_certificate_file   = "{ca}"
}}
{vnet}"#,
        required_providers(),
        url = emulator.url,
        p12 = p12.display(),
        ca = ca.display(),
        vnet = many_vnets(1),
    );

    // The right password: plan, apply, show (human and JSON), a second plan.
    ws.write("main.tf", &config);
    ws.write(
        "terraform.tfvars",
        &format!("password = \"{CERT_PASSWORD}\"\n"),
    );
    let mut outputs = Vec::new();
    for args in [
        &["plan", "-input=false", "-no-color"][..],
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &["show", "-no-color"],
        &["show", "-json"],
        &["plan", "-input=false", "-no-color"],
    ] {
        let out = ws.terraform(args);
        assert!(out.success(), "terraform {args:?}: {}", out.all());
        outputs.push((args.join(" "), out.all()));
    }
    assert!(
        outputs[2].1.contains("Many0"),
        "the apply did not create the VNet: {}",
        outputs[2].1
    );

    // A wrong password: the apply fails and says why, without either password.
    ws.write(
        "terraform.tfvars",
        "password = \"Wrong-Pw-also-secret-77aa\"\n",
    );
    let failed = ws.terraform(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert_eq!(failed.code, Some(1), "{}", failed.all());
    assert!(
        failed.stderr.contains("management_certificate"),
        "the error names the setting: {}",
        failed.stderr
    );
    assert!(!failed.all().contains("Wrong-Pw-also-secret-77aa"));
    outputs.push(("failed apply".to_string(), failed.all()));

    for (what, text) in &outputs {
        assert_no_password(what, text);
    }
    let trace = std::fs::read_to_string(&log).expect("TF_LOG_PATH written");
    assert!(trace.len() > 10_000, "the trace log is suspiciously short");
    assert_no_password("TF_LOG=trace log", &trace);
    assert!(!trace.contains("Wrong-Pw-also-secret-77aa"));
    let state = std::fs::read_to_string(ws.path().join("terraform.tfstate")).unwrap_or_default();
    assert_no_password("terraform.tfstate", &state);
}

#[test]
fn secret_holding_types_redact_their_debug_output() {
    use azureclassic::asm::client::{ProviderConfig, Secret};
    use azureclassic::asm::xml::messages::{
        CreateGatewayConnectionParameters, GatewayConnection, GatewayConnectionType, SharedKey,
        UpdateGatewayConnectionParameters,
    };
    let config = ProviderConfig {
        management_certificate_password: Some(Secret::new(CERT_PASSWORD)),
        ..ProviderConfig::default()
    };
    let connection = GatewayConnection {
        connected_entity_id: "local".to_string(),
        gateway_connection_name: "Azure2Local".to_string(),
        gateway_connection_type: GatewayConnectionType::IPsec,
        virtual_network_gateway_id: "vpn".to_string(),
        routing_weight: None,
        shared_key: Some(SharedKey::new(CERT_PASSWORD)),
        enable_bgp: None,
    };
    let shown = [
        format!("{config:?}"),
        format!(
            "{:?} {}",
            Secret::new(CERT_PASSWORD),
            Secret::new(CERT_PASSWORD)
        ),
        format!("{connection:?}"),
        format!(
            "{:?}",
            CreateGatewayConnectionParameters {
                connection: connection.clone()
            }
        ),
        format!(
            "{:?}",
            UpdateGatewayConnectionParameters {
                shared_key: Some(SharedKey::new(CERT_PASSWORD)),
                ..UpdateGatewayConnectionParameters::default()
            }
        ),
    ];
    for text in shown {
        assert_no_password("a Debug dump", &text);
    }
}
