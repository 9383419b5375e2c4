//! The Site-to-Site side of the provider with the real Terraform against the emulator: local
//! network gateways, gateway connections (shared key, CX-TRANSIT, import) and the circuit and
//! gateway data sources.

mod support;

use azureclassic::asm::xml::messages::{
    CreateLocalNetworkGatewayParameters, SharedKey, UpdateGatewayConnectionParameters,
};
use support::stack::{Stack, CIRCUIT_KEY};
use support::{terraforms, Output};

// What the tests do to the service behind Terraform's back, with the provider's own client.

fn delete_local_network_gateway(stack: &Stack, id: &str) {
    stack
        .outside_terraform(|client, ctx| async move {
            client.delete_local_network_gateway(&ctx, id).await
        })
        .expect("delete outside Terraform");
}

fn create_local_network_gateway(stack: &Stack, name: &str) -> String {
    let parameters = CreateLocalNetworkGatewayParameters {
        address_space: vec!["10.99.0.0/24".into()],
        gateway_name: name.into(),
        ip_address: "23.39.99.1".into(),
        bgp_settings: None,
    };
    stack
        .outside_terraform(|client, ctx| async move {
            client.create_local_network_gateway(&ctx, &parameters).await
        })
        .expect("create outside Terraform")
}

fn local_network_gateway_names(stack: &Stack) -> Vec<String> {
    let gateways = stack
        .outside_terraform(
            |client, ctx| async move { client.list_local_network_gateways(&ctx).await },
        )
        .expect("list");
    let mut names: Vec<String> = gateways.into_iter().map(|g| g.gateway_name).collect();
    names.sort();
    names
}

fn set_shared_key(stack: &Stack, gateway_id: &str, local_id: &str, key: &str) {
    let parameters = UpdateGatewayConnectionParameters {
        shared_key: Some(SharedKey::new(key)),
        ..Default::default()
    };
    stack
        .outside_terraform(|client, ctx| async move {
            client
                .update_gateway_connection(&ctx, gateway_id, local_id, &parameters)
                .await
        })
        .expect("change the key outside Terraform");
}

fn delete_connection(stack: &Stack, gateway_id: &str, local_id: &str) {
    stack
        .outside_terraform(|client, ctx| async move {
            client
                .delete_gateway_connection(&ctx, gateway_id, local_id)
                .await
        })
        .expect("delete outside Terraform");
}

fn branch(address_space: &str) -> String {
    format!(
        r#"
resource "azureclassic_local_network_gateway" "branch" {{
  name          = "Branch-Paris"
  ip_address    = "23.39.10.1"
  address_space = [{address_space}]
}}
"#
    )
}

fn attr(stack: &Stack, address: &str, name: &str) -> String {
    let resources = stack.resources();
    let values = resources
        .get(address)
        .unwrap_or_else(|| panic!("{address} not in the state: {resources:?}"));
    values[name].as_str().unwrap_or_default().to_string()
}

/// Asserts the command exited with `code` and its output holds each of `texts`.
fn assert_says(out: &Output, code: i32, texts: &[&str]) {
    assert_eq!(out.code, Some(code), "{}", out.all());
    for text in texts {
        assert!(out.all().contains(text), "missing {text:?}: {}", out.all());
    }
}

/// Asserts a plan updates `resource` in place and replaces nothing.
fn assert_in_place(plan: &Output, resource: &str) {
    assert_says(plan, 2, &[&format!("{resource} will be updated in-place")]);
    assert!(!plan.all().contains("must be replaced"), "{}", plan.all());
}

/// How many requests other than GET the service has seen so far.
fn mutations(stack: &Stack) -> usize {
    stack.mutating_requests().len()
}

#[test]
fn local_network_gateway_create_update_in_place_import_and_drift() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        let v = stack.version().to_string();

        // Create.
        stack.write_config(&branch(r#""10.20.0.0/24""#));
        stack.apply();
        let id = attr(&stack, "azureclassic_local_network_gateway.branch", "id");
        assert!(!id.is_empty(), "{v}: no id");
        assert_eq!(
            stack.mutating_requests(),
            ["POST /services/networking/localnetworkgateways"],
            "{v}"
        );
        stack.assert_clean_plan();

        // The address space changes in place: an update, not a replacement.
        stack.write_config(&branch(r#""10.20.0.0/24", "10.20.8.0/24""#));
        assert_in_place(&stack.plan(), "azureclassic_local_network_gateway.branch");
        stack.apply();
        assert_eq!(
            stack.mutating_requests().last().map(String::as_str),
            Some(format!("PATCH /services/networking/localnetworkgateways/{id}").as_str()),
            "{v}"
        );
        assert_eq!(
            attr(&stack, "azureclassic_local_network_gateway.branch", "id"),
            id,
            "{v}"
        );
        stack.assert_clean_plan();

        // Import by GatewayId, then nothing to change.
        stack.ok(&["state", "rm", "azureclassic_local_network_gateway.branch"]);
        stack.import("azureclassic_local_network_gateway.branch", &id);
        stack.assert_clean_plan();

        // Deleted outside Terraform: the next plan re-creates it.
        delete_local_network_gateway(&stack, &id);
        assert_says(
            &stack.plan(),
            2,
            &["azureclassic_local_network_gateway.branch will be created"],
        );
        stack.apply();
        assert_ne!(
            attr(&stack, "azureclassic_local_network_gateway.branch", "id"),
            id,
            "{v}"
        );
        stack.assert_clean_plan();

        stack.destroy();
        assert_eq!(
            stack
                .mutating_requests()
                .last()
                .map(|r| r.starts_with("DELETE ")),
            Some(true),
            "{v}"
        );
    }
}

#[test]
fn an_existing_local_network_gateway_is_refused_with_its_import_command() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        let existing = create_local_network_gateway(&stack, "Branch-Paris");
        // The configuration of the object that exists, so that once imported nothing changes.
        stack.write_config(
            r#"
resource "azureclassic_local_network_gateway" "branch" {
  name          = "Branch-Paris"
  ip_address    = "23.39.99.1"
  address_space = ["10.99.0.0/24"]
}
"#,
        );
        let out = stack
            .ws
            .terraform(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        assert_eq!(out.code, Some(1), "{}", out.all());
        let command =
            format!("terraform import azureclassic_local_network_gateway.<NAME> {existing}");
        assert!(out.stderr.contains(&command), "{}", out.all());
        assert_eq!(
            mutations(&stack),
            1,
            "only the out-of-band create: {:?}",
            stack.mutating_requests()
        );

        stack.import("azureclassic_local_network_gateway.branch", &existing);
        stack.assert_clean_plan();
    }
}

#[test]
fn local_network_gateway_input_is_checked_at_plan_with_its_path() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        stack.write_config(&format!(
            r#"
variable "prefixes" {{
  type    = list(string)
  default = ["10.20.0.0/24", "10.20.8.1/24"]
}}
{}"#,
            branch("var.prefixes[0], var.prefixes[1]")
        ));
        let out = stack.plan();
        stack.assert_refused(&out, &["NET-CIDR", "10.20.8.1/24"]);
        stack.write_config(
            r#"
resource "azureclassic_local_network_gateway" "branch" {
  name          = "Branch-Paris"
  ip_address    = "23.39.10.300"
  address_space = ["10.20.0.0/24"]
}
"#,
        );
        let out = stack.plan();
        stack.assert_refused(&out, &["NET-NAMES", "ip_address"]);
    }
}

fn circuit_lookup(key: &str) -> String {
    format!(
        r#"
data "azureclassic_dedicated_circuit" "er" {{
  service_key = "{key}"
}}

output "circuit" {{
  value = data.azureclassic_dedicated_circuit.er
}}
"#
    )
}

#[test]
fn data_sources_read_the_circuit_and_refuse_an_unknown_key_or_gateway() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        stack.write_config(&circuit_lookup(CIRCUIT_KEY));
        stack.apply();
        let circuit = stack.outputs()["circuit"].clone();
        assert_eq!(circuit["service_key"], CIRCUIT_KEY, "{circuit}");
        assert_eq!(circuit["id"], CIRCUIT_KEY, "{circuit}");
        assert_eq!(circuit["status"], "Enabled", "{circuit}");
        assert_eq!(
            circuit["service_provider_provisioning_state"], "Provisioned",
            "{circuit}"
        );
        for field in ["name", "location", "service_provider_name"] {
            assert!(
                circuit[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field}: {circuit}"
            );
        }
        assert!(
            circuit["bandwidth"].as_f64().is_some_and(|b| b > 0.0),
            "{circuit}"
        );

        stack.write_config(&circuit_lookup("00000000-0000-0000-0000-000000000000"));
        let out = stack.plan();
        stack.assert_refused(&out, &["ExpressRoute circuit not found", "service_key"]);

        stack.write_config(
            r#"
data "azureclassic_virtual_network_gateway" "missing" {
  virtual_network_name = "NoSuchVNET"
  type                 = "Vpn"
}
"#,
        );
        let out = stack.plan();
        stack.assert_refused(&out, &["Virtual network gateway not found", "NoSuchVNET"]);
    }
}

const SECRET: &str = "Psk-first-7Qx2-do-not-print";
const ROTATED: &str = "Psk-rotated-9Kd4-do-not-print";
const OUTSIDE: &str = "Psk-outside-3Zr8-do-not-print";

/// Lookups of both gateways of the first path through the data source.
const GATEWAY_LOOKUPS: &str = r#"
data "azureclassic_virtual_network_gateway" "vpn_by_id" {
  id = azureclassic_virtual_network_gateway.vpn.id
}

data "azureclassic_virtual_network_gateway" "expressroute_by_network" {
  virtual_network_name = azureclassic_virtual_network.vnet.name
  type                 = "ExpressRoute"
  depends_on           = [azureclassic_virtual_network_gateway.expressroute]
}

data "azureclassic_virtual_network_gateway" "vpn_by_network" {
  virtual_network_name = azureclassic_virtual_network.vnet.name
  type                 = "Vpn"
  depends_on           = [azureclassic_virtual_network_gateway.vpn]
}

data "azureclassic_virtual_network_gateway" "expressroute_by_id" {
  id = azureclassic_virtual_network_gateway.expressroute.id
}

output "vpn_by_id" {
  value = data.azureclassic_virtual_network_gateway.vpn_by_id
}

output "expressroute_by_network" {
  value = data.azureclassic_virtual_network_gateway.expressroute_by_network
}

output "vpn_by_network" {
  value = data.azureclassic_virtual_network_gateway.vpn_by_network
}

output "expressroute_by_id" {
  value = data.azureclassic_virtual_network_gateway.expressroute_by_id
}
"#;

/// The procedure's first path, `examples/coexisting-new-vnet` (VNet, ExpressRoute gateway, circuit
/// link, VPN gateway, local network gateway, connection), with the gateway lookups.
fn use_first_path(stack: &Stack, local_address_space: &str, shared_key: &str) {
    stack.use_example("examples/coexisting-new-vnet", &[]);
    stack.ws.write(
        "terraform.tfvars",
        &format!(
            "circuit_service_key = \"{CIRCUIT_KEY}\"\nshared_key = \"{shared_key}\"\nlocal_address_space = [{local_address_space}]\n"
        ),
    );
    stack.ws.write("lookups.tf", GATEWAY_LOOKUPS);
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in [SECRET, ROTATED, OUTSIDE] {
        assert!(!text.contains(secret), "{what} shows a shared key");
    }
}

#[test]
fn coexisting_stack_connection_rotates_its_key_in_place_without_ever_showing_it() {
    for tf in terraforms() {
        let mut stack = Stack::new(&tf, &[]);
        let v = stack.version().to_string();
        use_first_path(&stack, r#""10.1.2.0/24""#, SECRET);
        // Only the schema hides the key here: the example's variable is not sensitive. (Terraform
        // 1.0.3 also plans a marks-only update after an import when the value comes from a
        // sensitive variable, which would hide the import's clean plan.)
        stack.ws.write(
            "variables_override.tf",
            "variable \"shared_key\" {\n  sensitive = false\n}\n",
        );
        let applied = stack.apply();
        assert_no_secret("apply output", &applied.all());
        // The site is both the ExpressRoute site and the VPN's: the advisory names the static route.
        assert_says(&applied, 0, &["CX-TRANSIT", "static route"]);
        // Shown by the plan of the connection, not once more by its create.
        assert_eq!(
            applied.all().matches("CX-TRANSIT").count(),
            1,
            "{v}: {}",
            applied.all()
        );
        let mutations = stack.mutating_requests();
        assert!(
            mutations
                .last()
                .is_some_and(|r| r.starts_with("POST /services/networking/gatewayconnections")),
            "{v}: the connection comes last: {mutations:?}"
        );

        let gateway = attr(&stack, "azureclassic_virtual_network_gateway.vpn", "id");
        let local = attr(&stack, "azureclassic_local_network_gateway.onprem", "id");
        let connection_id = attr(&stack, "azureclassic_gateway_connection.s2s", "id");
        assert_eq!(connection_id, format!("{gateway}/{local}"), "{v}");
        let vpn = stack.outputs()["vpn_by_id"].clone();
        assert_eq!(vpn["name"], "S2SVPN", "{v}: {vpn}");
        assert_eq!(vpn["type"], "Vpn", "{v}: {vpn}");
        assert_eq!(vpn["state"], "Provisioned", "{v}: {vpn}");
        assert_eq!(
            vpn["vip_address"].as_str(),
            Some(
                attr(
                    &stack,
                    "azureclassic_virtual_network_gateway.vpn",
                    "vip_address"
                )
                .as_str()
            ),
            "{v}: {vpn}"
        );
        let er = stack.outputs()["expressroute_by_network"].clone();
        assert_eq!(
            er["id"].as_str(),
            Some(
                attr(
                    &stack,
                    "azureclassic_virtual_network_gateway.expressroute",
                    "id"
                )
                .as_str()
            ),
            "{v}: {er}"
        );
        assert_eq!(er["gateway_sku"], "HighPerformance", "{v}: {er}");
        // The other two ways round find the same gateways.
        let outputs = stack.outputs();
        assert_eq!(
            outputs["vpn_by_network"]["id"], vpn["id"],
            "{v}: {outputs:?}"
        );
        assert_eq!(
            outputs["expressroute_by_id"]["id"], er["id"],
            "{v}: {outputs:?}"
        );
        assert_eq!(
            outputs["expressroute_by_id"]["type"], "ExpressRoute",
            "{v}: {outputs:?}"
        );
        assert_eq!(
            outputs["expressroute_by_id"]["virtual_network_name"], "MyAzureVNET",
            "{v}: {outputs:?}"
        );

        // The advisory shows when the connection is created or changed, not on every plan.
        let clean = stack.plan();
        assert_eq!(clean.code, Some(0), "{v}: {}", clean.all());
        assert!(!clean.all().contains("CX-TRANSIT"), "{v}: {}", clean.all());

        // Everything from here on runs with Terraform's and the provider's most verbose logs.
        let trace = stack.ws.path().join("trace.log");
        stack.ws.set_env("TF_LOG", "trace");
        stack
            .ws
            .set_env("TF_LOG_PATH", &trace.display().to_string());

        // A new key is an in-place update.
        use_first_path(&stack, r#""10.1.2.0/24""#, ROTATED);
        let plan = stack.plan();
        assert_in_place(&plan, "azureclassic_gateway_connection.s2s");
        assert_no_secret("plan output", &plan.all());
        let before = stack.mutating_requests().len();
        let applied = stack.apply();
        assert_no_secret("apply output", &applied.all());
        let path = format!("PATCH /services/networking/gatewayconnections/virtualnetworkgateway/{gateway}/connectedentity/{local}");
        assert_eq!(
            &stack.mutating_requests()[before..],
            std::slice::from_ref(&path),
            "{v}"
        );
        assert_eq!(
            attr(&stack, "azureclassic_gateway_connection.s2s", "id"),
            connection_id,
            "{v}"
        );
        stack.assert_clean_plan();

        // A key changed outside Terraform is read back and shows as an update.
        set_shared_key(&stack, &gateway, &local, OUTSIDE);
        let drift = stack.plan();
        assert_in_place(&drift, "azureclassic_gateway_connection.s2s");
        assert_no_secret("drift plan output", &drift.all());
        stack.apply();
        stack.assert_clean_plan();

        // The routing weight also changes in place.
        stack.ws.write(
            "connection_override.tf",
            "resource \"azureclassic_gateway_connection\" \"s2s\" {\n  routing_weight = 5\n}\n",
        );
        assert_in_place(&stack.plan(), "azureclassic_gateway_connection.s2s");
        let before = stack.mutating_requests().len();
        stack.apply();
        assert_eq!(
            &stack.mutating_requests()[before..],
            std::slice::from_ref(&path),
            "{v}"
        );
        stack.assert_clean_plan();

        // Import by {virtual_network_gateway_id}/{local_network_gateway_id}, then nothing to change.
        stack.ok(&["state", "rm", "azureclassic_gateway_connection.s2s"]);
        let imported = stack.import("azureclassic_gateway_connection.s2s", &connection_id);
        assert_no_secret("import output", &imported.all());
        // `state rm` dropped the example's output of the connection id: the plan may restore that
        // output, and nothing else.
        let plan = stack.plan();
        assert!(
            !plan
                .stdout
                .contains("# azureclassic_gateway_connection.s2s"),
            "{v}: {}",
            plan.all()
        );
        let before = stack.mutating_requests().len();
        stack.apply();
        assert_eq!(
            stack.mutating_requests().len(),
            before,
            "{v}: applying the import changed the service"
        );
        stack.assert_clean_plan();

        let shown = stack.ok(&["state", "show", "azureclassic_gateway_connection.s2s"]);
        assert!(shown.stdout.contains("shared_key"), "{v}: {}", shown.all());
        assert_no_secret("terraform state show", &shown.all());
        // The state file holds the key (that is where Terraform keeps it), so the checks above
        // could have failed.
        let state =
            std::fs::read_to_string(stack.ws.path().join("terraform.tfstate")).expect("state file");
        assert!(state.contains(ROTATED), "{v}: the state lacks the key");

        let log = std::fs::read_to_string(&trace).expect("trace log");
        assert!(
            log.contains("PlanResourceChange") || log.contains("plan"),
            "{v}: trace log looks empty"
        );
        assert_no_secret("TF_LOG=trace output", &log);

        // Deleted outside Terraform: the next plan re-creates it.
        delete_connection(&stack, &gateway, &local);
        assert_says(
            &stack.plan(),
            2,
            &["azureclassic_gateway_connection.s2s will be created"],
        );
        stack.apply();
        stack.assert_clean_plan();

        stack.destroy();
        assert_eq!(
            stack
                .requests()
                .iter()
                .filter(|r| r.method == "DELETE" && r.path.contains("gatewayconnections"))
                .count(),
            2,
            "{v}"
        );
    }
}

#[test]
fn cx_transit_overlap_is_refused_before_any_change_to_the_service() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        let v = stack.version().to_string();
        use_first_path(&stack, r#""10.1.2.0/24""#, SECRET);
        stack.apply();
        let applied = stack.mutating_requests();

        // The local network gateway's planned address space overlaps the VNet: refused at plan.
        use_first_path(&stack, r#""10.1.2.0/24", "10.17.159.0/24""#, SECRET);
        assert_says(
            &stack.plan(),
            1,
            &["CX-TRANSIT", "10.17.159.0/24", "local_network_gateway_id"],
        );
        let out = stack
            .ws
            .terraform(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        assert_eq!(out.code, Some(1), "{v}: {}", out.all());
        assert_eq!(
            stack.mutating_requests(),
            applied,
            "{v}: the service saw a change"
        );

        // A new, overlapping site whose id is known only after apply: refused at apply, before
        // the connection is sent.
        let overlapping_site = r#"
resource "azureclassic_local_network_gateway" "overlapping" {
  name          = "Overlapping"
  ip_address    = "23.39.1.3"
  address_space = ["10.17.159.192/28"]
}

resource "azureclassic_gateway_connection" "overlapping" {
  name                       = "Azure2Overlapping"
  virtual_network_gateway_id = azureclassic_virtual_network_gateway.vpn.id
  local_network_gateway_id   = azureclassic_local_network_gateway.overlapping.id
  shared_key                 = "irrelevant"
}
"#;
        use_first_path(&stack, r#""10.1.2.0/24""#, SECRET);
        stack.ws.write("overlapping.tf", overlapping_site);
        let out = stack
            .ws
            .terraform(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        assert_says(&out, 1, &["CX-TRANSIT"]);
        let after = stack.mutating_requests();
        assert_eq!(
            after[applied.len()..],
            ["POST /services/networking/localnetworkgateways"],
            "{v}: only the local network gateway was created"
        );

        // Now both ids are known: the next plan refuses the connection without touching anything.
        assert_says(&stack.plan(), 1, &["CX-TRANSIT"]);
        assert_eq!(stack.mutating_requests(), after, "{v}");
    }
}

#[test]
fn sites_without_expressroute_example_applies_and_replans_clean() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        let v = stack.version().to_string();
        stack.use_example(
            "examples/sites-without-expressroute",
            &[("circuit_service_key", CIRCUIT_KEY), ("shared_key", SECRET)],
        );
        let applied = stack.apply();
        assert_no_secret("apply output", &applied.all());
        let connections = stack.outputs()["branch_connection_ids"].clone();
        assert_eq!(
            connections.as_object().map(|m| m.len()),
            Some(2),
            "{v}: {connections}"
        );
        stack.assert_clean_plan();
        stack.destroy();
        assert!(stack.resources().is_empty(), "{v}");
    }
}

#[test]
fn under_service_faults_local_network_gateways_converge_without_duplicates() {
    let tf = &terraforms()[0];
    // One request in five answers 429 / 503 / 500 or drops the connection.
    let stack = Stack::new(tf, &["--fault-rate=0.2", "--fault-seed=11"]);
    let sites: String = (1..=4)
        .map(|i| {
            format!(
                r#"
resource "azureclassic_local_network_gateway" "site{i}" {{
  name          = "Site-{i}"
  ip_address    = "23.39.20.{i}"
  address_space = ["10.40.{i}.0/24"]
}}
"#
            )
        })
        .collect();
    stack.write_config(&sites);
    stack.apply();
    let names = local_network_gateway_names(&stack);
    assert_eq!(names, ["Site-1", "Site-2", "Site-3", "Site-4"]);
    stack.assert_clean_plan();
    let faulted = stack
        .requests()
        .iter()
        .filter(|r| r.status >= 500 || r.status == 429)
        .count();
    assert!(
        faulted > 0,
        "the emulator injected no fault: the test proved nothing"
    );
}
