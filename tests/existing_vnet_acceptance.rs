//! The procedure's second path ("To configure coexisting connections for an already existing VNet"),
//! as `examples/existing-vnet` documents it, with the real Terraform against the emulator:
//! a VNet made outside Terraform (its /28 GatewaySubnet, ExpressRoute gateway and circuit link, by
//! `setup-existing.sh` through the API), imported to a clean plan, then resized to /27 with a
//! coexisting Site-to-Site VPN added, in one apply whose requests follow the procedure. Then the
//! GatewaySubnet is enlarged once more, so that the whole chain, connection and VPN gateway included,
//! is deleted before the resize and recreated after it.
//!
//! The emulator refuses a GatewaySubnet change while a gateway uses it (checked here too), so the
//! applies succeeding prove the order comes from the provider and Terraform, not from leniency.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use azureclassic::asm::client::NetcfgError;
use azureclassic::asm::xml::netcfg::NetworkConfiguration;
use support::emulator::LoggedRequest;
use support::stack::{planned_actions, Stack, CIRCUIT_KEY};
use support::{run, terraforms};

const EXAMPLE: &str = "examples/existing-vnet";
const VNET: &str = "MyAzureVNET";
const GATEWAY_SUBNET_28: &str = "10.17.159.224/28";
const GATEWAY_SUBNET_27: &str = "10.17.159.224/27";
/// The second resize: a /26 in an address prefix added for it.
const GATEWAY_SUBNET_26: &str = "10.17.160.0/26";
const ADDED_ADDRESS_SPACE: &str = r#"
resource "azureclassic_virtual_network" "vnet" {
  address_space = ["10.17.159.192/26", "10.17.160.0/26"]
}
"#;

const VNET_ADDR: &str = "azureclassic_virtual_network.vnet";
const EXPRESSROUTE_ADDR: &str = "azureclassic_virtual_network_gateway.expressroute";
const LINK_ADDR: &str = "azureclassic_dedicated_circuit_link.expressroute";
const VPN_ADDR: &str = "azureclassic_virtual_network_gateway.vpn[0]";
const LOCAL_ADDR: &str = "azureclassic_local_network_gateway.onprem[0]";
const CONNECTION_ADDR: &str = "azureclassic_gateway_connection.s2s[0]";

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE)
}

/// `-var-file=` the example's description of the objects as they exist (/28, no VPN side).
fn existing_vars() -> String {
    format!(
        "-var-file={}",
        example_dir().join("existing.tfvars").display()
    )
}

/// The ids `setup-existing.sh` prints for `terraform import`.
struct ImportIds {
    vnet: String,
    gateway: String,
    link: String,
}

/// The requests logged after the first `from`, other than GETs.
fn writes_since(stack: &Stack, from: usize) -> Vec<LoggedRequest> {
    stack
        .requests()
        .into_iter()
        .skip(from)
        .filter(|r| r.method != "GET")
        .collect()
}

/// A write, named as the procedure's step it carries out; anything else as `METHOD path`, so an
/// unexpected write shows up in the comparison.
fn step_of(stack: &Stack, r: &LoggedRequest) -> String {
    let prefix = format!("/{}/services/networking/", stack.subscription);
    let path = r.path.strip_prefix(&prefix).unwrap_or(&r.path);
    let link = format!("dedicatedcircuits/{CIRCUIT_KEY}/vnets/{VNET}");
    let expressroute_gateway = format!("{VNET}/gateway");
    let step = match (r.method.as_str(), path) {
        ("PUT", "media") => "upload the network configuration",
        ("POST", p) if p == expressroute_gateway => "create the ExpressRoute gateway",
        ("DELETE", p) if p == expressroute_gateway => "delete the ExpressRoute gateway",
        ("POST", p) if p == link => "link the circuit",
        ("DELETE", p) if p == link => "unlink the circuit",
        ("POST", p) if p == format!("{VNET}/virtualnetworkgateways") => "create the VPN gateway",
        ("DELETE", p) if p.starts_with("virtualnetworkgateways/") => "delete the VPN gateway",
        ("POST", "localnetworkgateways") => "create the local network gateway",
        ("POST", "gatewayconnections") => "create the connection",
        ("DELETE", p) if p.starts_with("gatewayconnections/") => "delete the connection",
        _ => return format!("{} {}", r.method, r.path),
    };
    step.to_string()
}

/// The steps of the writes since `from`, asserting the service accepted every one of them.
fn steps_since(stack: &Stack, from: usize) -> Vec<String> {
    accepted_steps_since(stack, from, &[])
}

/// The steps the service accepted since `from`, asserting it refused none other than with the
/// `tolerated` statuses (answers the client waits out and repeats).
fn accepted_steps_since(stack: &Stack, from: usize, tolerated: &[u16]) -> Vec<String> {
    let writes = writes_since(stack, from);
    let refused: Vec<&LoggedRequest> = writes
        .iter()
        .filter(|r| r.status >= 300 && !tolerated.contains(&r.status))
        .collect();
    assert!(
        refused.is_empty(),
        "{}: the service refused {refused:?}",
        stack.version()
    );
    writes
        .iter()
        .filter(|r| r.status < 300)
        .map(|r| step_of(stack, r))
        .collect()
}

const CREATE_LOCAL_GATEWAY: &str = "create the local network gateway";

/// The steps other than the local network gateway's create.
fn apart_from_local_gateway(steps: &[String]) -> Vec<String> {
    steps
        .iter()
        .filter(|s| *s != CREATE_LOCAL_GATEWAY)
        .cloned()
        .collect()
}

/// The local network gateway depends on nothing in the VNet: Terraform creates it in parallel with
/// the deletes, outside the downtime window, but always before the connection that uses it.
/// Returns the other steps, in order.
fn without_local_gateway(steps: Vec<String>) -> Vec<String> {
    let at = |s: &str| steps.iter().position(|x| x == s);
    assert_eq!(
        steps.iter().filter(|s| *s == CREATE_LOCAL_GATEWAY).count(),
        1,
        "{steps:#?}"
    );
    assert!(
        at(CREATE_LOCAL_GATEWAY) < at("create the connection"),
        "{steps:#?}"
    );
    apart_from_local_gateway(&steps)
}

/// Step 0: the "existing" VNet, made with the example's setup script through the API, as a user did
/// before Terraform.
fn create_existing_vnet_through_the_api(stack: &Stack) -> ImportIds {
    let mut cmd = Command::new("bash");
    cmd.arg(example_dir().join("setup-existing.sh"))
        .env("AZURE_MANAGEMENT_URL", &stack.emulator.url)
        .env("AZURE_SUBSCRIPTION_ID", &stack.subscription)
        .env("CIRCUIT_SERVICE_KEY", CIRCUIT_KEY)
        .env("POLL_SECONDS", "0.05")
        .env("POLL_LIMIT", "400")
        .env_remove("VNET_NAME")
        .env_remove("LOCATION");
    let out = run(cmd, Duration::from_secs(120));
    assert!(out.success(), "setup-existing.sh: {}", out.all());
    assert_eq!(
        steps_since(stack, 0),
        [
            "upload the network configuration",
            "create the ExpressRoute gateway",
            "link the circuit",
        ],
        "setup-existing.sh's wire calls"
    );
    let id = |key: &str| {
        out.stdout
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("no {key}= line from setup-existing.sh: {}", out.all()))
            .to_string()
    };
    let ids = ImportIds {
        vnet: id("vnet"),
        gateway: id("gateway"),
        link: id("link"),
    };
    assert_eq!(ids.vnet, VNET);
    assert_eq!(ids.link, format!("{CIRCUIT_KEY}/{VNET}"));
    ids
}

/// Import the three objects against the configuration that describes them as they are; the next
/// plan changes nothing, and nothing of this writes to the service.
fn import_to_a_clean_plan(stack: &Stack, ids: &ImportIds) {
    let version = stack.version().to_string();
    let existing = existing_vars();
    let before = stack.request_count();
    for (address, id) in [
        (VNET_ADDR, &ids.vnet),
        (EXPRESSROUTE_ADDR, &ids.gateway),
        (LINK_ADDR, &ids.link),
    ] {
        stack.ok(&[
            "import",
            "-input=false",
            "-no-color",
            &existing,
            address,
            id,
        ]);
    }
    let (_, imported) = stack.saved_plan(&[&existing]);
    let actions = planned_actions(&imported);
    assert_eq!(
        actions.keys().collect::<Vec<_>>(),
        [LINK_ADDR, VNET_ADDR, EXPRESSROUTE_ADDR],
        "{version}: {actions:?}"
    );
    for (address, action) in &actions {
        assert_eq!(action, &["no-op"], "{version}: {address} after import");
    }
    // Terraform 1.0.x evaluates outputs during each import before the imported object is in the
    // state, so the last import's outputs are missing; a refresh-only apply records them (the
    // README's step), and the plan is then clean by -detailed-exitcode on every version.
    stack.ok(&[
        "apply",
        "-refresh-only",
        "-auto-approve",
        "-input=false",
        "-no-color",
        &existing,
    ]);
    let clean = stack.plan_with(&[&existing]);
    assert_eq!(clean.code, Some(0), "{version}: {}", clean.all());
    assert!(clean.all().contains("CX-GWSUBNET-WARN"), "{}", clean.all());
    assert_eq!(
        steps_since(stack, before),
        Vec::<String>::new(),
        "{version}"
    );
}

/// Steps 0 to 2: the existing VNet made through the API, the example in the workspace, the three
/// objects imported to a clean plan.
fn imported_existing_vnet(stack: &Stack) -> ImportIds {
    let ids = create_existing_vnet_through_the_api(stack);
    stack.use_example(
        EXAMPLE,
        &[
            ("circuit_service_key", CIRCUIT_KEY),
            ("shared_key", "existing-path-key-7f3a"),
        ],
    );
    import_to_a_clean_plan(stack, &ids);
    ids
}

/// The procedure's order done wrong: resizing the GatewaySubnet while the ExpressRoute gateway
/// still uses it. The service (the emulator) refuses it with its one write answered 400.
fn assert_resize_under_a_gateway_is_refused(stack: &Stack) {
    let before = stack.request_count();
    let refused = stack.outside_terraform(|client, ctx| async move {
        client
            .update_network_config(&ctx, |doc: &mut NetworkConfiguration| {
                let mut site = doc.virtual_network_site(VNET).ok_or("no such VNet")?;
                for subnet in &mut site.subnets {
                    if subnet.name == "GatewaySubnet" {
                        subnet.address_prefix = GATEWAY_SUBNET_27.to_string();
                    }
                }
                doc.upsert_virtual_network_site(&site);
                Ok::<(), &'static str>(())
            })
            .await
    });
    match refused {
        Err(NetcfgError::Client(e)) => {
            let service = e
                .service()
                .unwrap_or_else(|| panic!("not a service error: {e}"));
            assert_eq!(service.status, 400, "{e}");
            assert!(service.message.contains("in use 'GatewaySubnet'"), "{e}");
        }
        other => panic!("the emulator accepted a GatewaySubnet resize under a gateway: {other:?}"),
    }
    let statuses: Vec<u16> = writes_since(stack, before)
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [400], "{}: only the refused PUT", stack.version());
}

/// Plans `args` to `tfplan`, asserts the human-readable plan holds each of `shown` and the JSON
/// plan has exactly the `actions`, then applies it and returns the steps the service saw.
fn plan_and_apply(
    stack: &Stack,
    args: &[&str],
    shown: &[String],
    actions: &[(&str, &[&str])],
) -> Vec<String> {
    let version = stack.version().to_string();
    let (out, plan) = stack.saved_plan(args);
    let text = out.all();
    for expected in shown {
        assert!(
            text.contains(expected.as_str()),
            "{version}: missing {expected:?} in\n{text}"
        );
    }
    let expected: BTreeMap<String, Vec<String>> = actions
        .iter()
        .map(|(address, a)| {
            let a = a.iter().map(|s| s.to_string()).collect();
            (address.to_string(), a)
        })
        .collect();
    assert_eq!(planned_actions(&plan), expected, "{version}: the chain");
    let before = stack.request_count();
    stack.apply_saved_plan();
    let steps = steps_since(stack, before);
    println!("Terraform {version}: {steps:#?}");
    steps
}

const REPLACE: &[&str] = &["delete", "create"];
const CREATE: &[&str] = &["create"];
const UPDATE: &[&str] = &["update"];

#[test]
fn existing_vnet_is_imported_resized_and_given_a_coexisting_vpn_in_the_procedures_order() {
    for tf in terraforms() {
        let version = tf.version.clone();
        let stack = Stack::new(&tf, &[]);
        let ids = imported_existing_vnet(&stack);
        assert_resize_under_a_gateway_is_refused(&stack);

        // The end state (the example's defaults): a /27 GatewaySubnet and the Site-to-Site side.
        // The plan makes the downtime visible: the gateway and its link are replaced.
        let steps = plan_and_apply(
            &stack,
            &[],
            &[
                format!("# {LINK_ADDR} must be replaced"),
                format!("# {EXPRESSROUTE_ADDR} must be replaced"),
                format!("# {VNET_ADDR} will be updated in-place"),
                format!("# {VPN_ADDR} will be created"),
                format!("# {LOCAL_ADDR} will be created"),
                format!("# {CONNECTION_ADDR} will be created"),
                format!("\"{GATEWAY_SUBNET_28}\" -> \"{GATEWAY_SUBNET_27}\" # forces replacement"),
                "CX-RESIZE".to_string(),
                "Plan: 5 to add, 1 to change, 2 to destroy.".to_string(),
            ],
            &[
                (LINK_ADDR, REPLACE),
                (CONNECTION_ADDR, CREATE),
                (LOCAL_ADDR, CREATE),
                (VNET_ADDR, UPDATE),
                (EXPRESSROUTE_ADDR, REPLACE),
                (VPN_ADDR, CREATE),
            ],
        );
        let chain = [
            "unlink the circuit",
            "delete the ExpressRoute gateway",
            "upload the network configuration",
            "create the ExpressRoute gateway",
            "link the circuit",
            "create the VPN gateway",
            "create the connection",
        ];
        assert_eq!(
            without_local_gateway(steps),
            chain,
            "{version}: the procedure's order"
        );
        stack.assert_clean_plan();
        let resources = stack.resources();
        assert_ne!(
            resources[EXPRESSROUTE_ADDR]["id"],
            ids.gateway.as_str(),
            "{version}: a new gateway"
        );
        for address in [VNET_ADDR, EXPRESSROUTE_ADDR, VPN_ADDR] {
            assert_eq!(
                resources[address]["gateway_subnet_prefix"], GATEWAY_SUBNET_27,
                "{version}: {address}"
            );
        }
        let outputs = stack.outputs();
        assert_eq!(outputs["gateway_subnet_prefix"], GATEWAY_SUBNET_27);
        assert!(
            outputs["vpn_gateway_vip"]
                .as_str()
                .is_some_and(|v| !v.is_empty()),
            "{version}: {outputs:?}"
        );

        // Enlarging the GatewaySubnet again, now with the VPN side in place: the connection and
        // the VPN gateway go first, the local network gateway stays.
        stack.ws.write("vnet_override.tf", ADDED_ADDRESS_SPACE);
        let var = format!("-var=gateway_subnet_prefix={GATEWAY_SUBNET_26}");
        let steps = plan_and_apply(
            &stack,
            &[&var],
            &[
                format!("# {CONNECTION_ADDR} must be replaced"),
                format!("# {VPN_ADDR} must be replaced"),
                "Plan: 4 to add, 1 to change, 4 to destroy.".to_string(),
            ],
            &[
                (LINK_ADDR, REPLACE),
                (CONNECTION_ADDR, REPLACE),
                (LOCAL_ADDR, &["no-op"]),
                (VNET_ADDR, UPDATE),
                (EXPRESSROUTE_ADDR, REPLACE),
                (VPN_ADDR, REPLACE),
            ],
        );
        let whole_chain = [
            &["delete the connection", "delete the VPN gateway"][..],
            &chain,
        ]
        .concat();
        assert_eq!(
            steps, whole_chain,
            "{version}: the same chain, the VPN side deleted first"
        );
        let replan = stack.plan_with(&[&var]);
        assert_eq!(replan.code, Some(0), "{version}: {}", replan.all());
    }
}

/// The ExpressRoute gateway's create may take one second: the emulator takes longer.
const IMPATIENT_GATEWAY: &str = r#"
resource "azureclassic_virtual_network_gateway" "expressroute" {
  timeouts {
    create = "1s"
  }
}
"#;

#[test]
fn an_apply_stopped_inside_the_downtime_window_is_finished_by_the_next_apply() {
    for tf in terraforms() {
        let version = tf.version.clone();
        let stack = Stack::new(&tf, &["--op-delay=gateway-create=3s"]);
        imported_existing_vnet(&stack);

        // The apply stops at the new ExpressRoute gateway: the old one is gone, the GatewaySubnet
        // resized, the new gateway still provisioning when its create times out.
        stack
            .ws
            .write("gateway_timeouts_override.tf", IMPATIENT_GATEWAY);
        let before = stack.request_count();
        let stopped = stack
            .ws
            .terraform(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        assert_eq!(stopped.code, Some(1), "{version}: {}", stopped.all());
        assert!(
            stopped.stderr.contains("not finished within the deadline"),
            "{version}: {}",
            stopped.all()
        );
        let first = steps_since(&stack, before);
        assert_eq!(
            apart_from_local_gateway(&first),
            [
                "unlink the circuit",
                "delete the ExpressRoute gateway",
                "upload the network configuration",
                "create the ExpressRoute gateway",
            ],
            "{version}: stopped inside the window"
        );

        // The next apply, at once (the timeout back to its default), finishes the procedure from
        // there: the half-made gateway is tainted, so it is replaced (its delete waits out the
        // service's 409 until it has finished provisioning), then the link and the VPN side follow.
        std::fs::remove_file(stack.ws.path().join("gateway_timeouts_override.tf"))
            .expect("remove the override");
        let before = stack.request_count();
        stack.apply();
        let second = accepted_steps_since(&stack, before, &[409]);
        assert_eq!(
            apart_from_local_gateway(&second),
            [
                "delete the ExpressRoute gateway",
                "create the ExpressRoute gateway",
                "link the circuit",
                "create the VPN gateway",
                "create the connection",
            ],
            "{version}: the rest of the procedure"
        );
        without_local_gateway([first, second].concat());
        stack.assert_clean_plan();
    }
}
