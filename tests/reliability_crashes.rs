//! Conflicts and crashes with the real Terraform, provider and emulator: two applies from separate
//! state directories touching one VNet at the same time both succeed (the service's ConflictError is
//! waited out, never reported); a provider killed with `kill -9` in the middle of a gateway create
//! leaves no duplicate and no silent orphan (the next apply names the gateway and its import
//! command); an emulator killed mid-apply and restarted on the same state converges with nothing lost.
//!
//! Terraform 1.0.3 only (the baseline): these are about the provider and the service.

mod support;

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use support::stack::Stack;
use support::{terraforms, Output, Terraform, Workspace};

fn baseline() -> Terraform {
    terraforms().remove(0)
}

const APPLY: &[&str] = &["apply", "-auto-approve", "-input=false", "-no-color"];

/// The VNet both configurations touch; `extra_subnet` adds a subnet (an in-place update).
fn shared_vnet(extra_subnet: bool) -> String {
    let extra = if extra_subnet {
        r#"
  subnet {
    name           = "Subnet-2"
    address_prefix = "10.20.2.0/24"
  }"#
    } else {
        ""
    };
    format!(
        r#"
resource "azureclassic_virtual_network" "shared" {{
  name          = "Shared"
  location      = "Central US"
  address_space = ["10.20.0.0/16"]
  subnet {{
    name           = "Subnet-1"
    address_prefix = "10.20.0.0/24"
  }}
  subnet {{
    name           = "GatewaySubnet"
    address_prefix = "10.20.1.0/27"
  }}{extra}
  local_network_site_ref {{
    name            = "MyLocalNetwork"
    connection_type = "Dedicated"
  }}
}}
"#
    )
}

/// The ExpressRoute gateway of `vnet` (a literal name, or a reference).
fn expressroute_gateway(vnet: &str) -> String {
    format!(
        r#"
resource "azureclassic_virtual_network_gateway" "expressroute" {{
  virtual_network_name = {vnet}
  type                 = "ExpressRoute"
  gateway_sku          = "HighPerformance"
  gateway_type         = "DynamicRouting"
}}
"#
    )
}

/// A second workspace on the stack's emulator and subscription, with its own state.
fn second_workspace(stack: &Stack, body: &str) -> Workspace {
    let mut ws = Workspace::new(&stack.ws.terraform);
    ws.set_env("AZURE_SUBSCRIPTION_ID", &stack.subscription);
    ws.set_env("AZURE_MANAGEMENT_URL", &stack.emulator.url);
    ws.write(
        "main.tf",
        &format!(
            "{}provider \"azureclassic\" {{}}\n{body}",
            support::required_providers()
        ),
    );
    ws
}

/// Waits (bounded) until `done` holds, polling every 100 ms.
fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits (bounded) until the emulator has logged, after the first `before` requests, the
/// ExpressRoute gateway create of the shared VNet.
fn wait_for_gateway_create(stack: &Stack, before: usize) {
    wait_for("the gateway create", Duration::from_secs(120), || {
        stack
            .mutating_requests_since(before)
            .iter()
            .any(|r| r == GATEWAY_CREATE)
    });
}

const GATEWAY_CREATE: &str = "POST /services/networking/Shared/gateway";

/// A background `terraform` run, killed if the test ends first.
struct Background(Option<Child>);

impl Background {
    fn start(ws: &Workspace, args: &[&str]) -> Background {
        let child = ws
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start terraform");
        Background(Some(child))
    }

    fn pid(&self) -> u32 {
        self.0.as_ref().map_or(0, Child::id)
    }

    /// Waits (bounded) for the run to end; returns its exit code and both streams.
    fn finish(mut self, limit: Duration) -> Output {
        let mut child = self.0.take().expect("running");
        let start = Instant::now();
        loop {
            if let Ok(Some(_)) = child.try_wait() {
                break;
            }
            if start.elapsed() > limit {
                let _ = child.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let out = child.wait_with_output().expect("terraform output");
        Output {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            timed_out: start.elapsed() > limit,
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The pids of the processes whose parent is `parent` (Linux `/proc`).
fn children_of(parent: u32) -> Vec<(u32, String)> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
            let (head, rest) = stat.rsplit_once(')')?;
            let comm = head.split_once('(')?.1.to_string();
            let ppid: u32 = rest.split_whitespace().nth(1)?.parse().ok()?;
            (ppid == parent).then_some((pid, comm))
        })
        .collect()
}

/// Every process below `root`, as (pid, command name).
fn descendants_of(root: u32) -> Vec<(u32, String)> {
    let mut found = Vec::new();
    let mut frontier = vec![root];
    // Bounded: a process tree under one terraform run is a handful of levels deep.
    for _ in 0..8 {
        let next: Vec<(u32, String)> = frontier.iter().flat_map(|p| children_of(*p)).collect();
        if next.is_empty() {
            break;
        }
        frontier = next.iter().map(|(pid, _)| *pid).collect();
        found.extend(next);
    }
    found
}

#[test]
fn parallel_applies_on_one_vnet_wait_out_conflicts_instead_of_failing() {
    let stack = Stack::new(
        &baseline(),
        &["--op-delay", "gateway-create=4s", "--op-delay", "netcfg=1s"],
    );
    stack.write_config(&shared_vnet(false));
    stack.apply();

    // B creates the VNet's ExpressRoute gateway (4 s in flight) while A updates the VNet.
    let other = second_workspace(&stack, &expressroute_gateway("\"Shared\""));
    let before = stack.request_count();
    let gateway_create = Background::start(&other, APPLY);
    wait_for_gateway_create(&stack, before);
    stack.write_config(&shared_vnet(true));
    let vnet_update = stack.ws.terraform(&[
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-parallelism=30",
    ]);
    let gateway = gateway_create.finish(Duration::from_secs(180));

    assert!(vnet_update.success(), "VNet update: {}", vnet_update.all());
    assert!(gateway.success(), "gateway create: {}", gateway.all());
    for out in [&vnet_update, &gateway] {
        assert!(!out.all().contains("ConflictError"), "{}", out.all());
    }
    let conflicts = stack
        .requests()
        .iter()
        .skip(before)
        .filter(|r| r.status == 409)
        .count();
    eprintln!("two parallel applies on one VNet: {conflicts} ConflictError answers waited out");
    assert!(
        conflicts > 0,
        "the applies never collided: the test proves nothing"
    );
    stack.assert_clean_plan();
    let second_plan = other.terraform(&["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
    assert_eq!(second_plan.code, Some(0), "{}", second_plan.all());
}

#[test]
fn provider_killed_mid_gateway_create_leaves_no_duplicate_and_names_the_import() {
    let stack = Stack::new(&baseline(), &["--op-delay", "gateway-create=8s"]);
    stack.write_config(
        &(shared_vnet(false) + &expressroute_gateway("azureclassic_virtual_network.shared.name")),
    );
    let before = stack.request_count();
    let apply = Background::start(&stack.ws, APPLY);
    wait_for_gateway_create(&stack, before);
    // Terraform 1.0.3 from PyPI runs under a Python wrapper: look at every descendant.
    let providers: Vec<u32> = descendants_of(apply.pid())
        .into_iter()
        .filter(|(_, comm)| comm.starts_with("terraform-provi"))
        .map(|(pid, _)| pid)
        .collect();
    assert_eq!(
        providers.len(),
        1,
        "one provider process under terraform: {:?}",
        descendants_of(apply.pid())
    );
    let killed = std::process::Command::new("kill")
        .args(["-9", &providers[0].to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let crashed = apply.finish(Duration::from_secs(120));
    assert_ne!(
        crashed.code,
        Some(0),
        "the apply survived its provider: {}",
        crashed.all()
    );

    // Again: the gateway the lost provider started is found, not created a second time.
    let from = stack.request_count();
    let again = stack.ws.terraform(APPLY);
    let creates = stack
        .mutating_requests_since(from)
        .iter()
        .filter(|r| r.as_str() == GATEWAY_CREATE)
        .count();
    assert_eq!(
        creates,
        0,
        "a second gateway create was sent: {}",
        again.all()
    );
    let gateway_id = stack.outside_terraform(|client, ctx| async move {
        client
            .get_vnet_gateway(&ctx, "Shared")
            .await
            .ok()
            .and_then(|g| g.gateway_id)
    });
    let gateway_id = gateway_id.expect("the gateway the killed provider started exists");
    eprintln!(
        "provider killed mid gateway create; next apply: {}",
        if again.success() {
            "adopted the gateway"
        } else {
            "reported it with its import command"
        }
    );
    if again.success() {
        // Adopted: then it must be in the state, once.
        let resources = stack.resources();
        assert!(resources.contains_key("azureclassic_virtual_network_gateway.expressroute"));
    } else {
        // Reported with the command that takes it over.
        let unwrapped = again
            .stderr
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            unwrapped.contains(&format!(
                "terraform import azureclassic_virtual_network_gateway.<NAME> {gateway_id}"
            )),
            "{}",
            again.all()
        );
        stack.import(
            "azureclassic_virtual_network_gateway.expressroute",
            &gateway_id,
        );
        stack.apply();
    }
    stack.assert_clean_plan();
}

#[test]
fn emulator_killed_mid_apply_and_restarted_converges_with_nothing_lost() {
    let mut stack = Stack::new(&baseline(), &["--op-delay", "gateway-create=6s"]);
    stack.write_config(
        &(shared_vnet(false) + &expressroute_gateway("azureclassic_virtual_network.shared.name")),
    );
    let before = stack.request_count();
    let apply = Background::start(&stack.ws, APPLY);
    wait_for_gateway_create(&stack, before);
    stack.emulator.kill_hard();
    // The provider retries refused connections: bring the service back while it still waits.
    std::thread::sleep(Duration::from_secs(2));
    stack.emulator.restart();
    let first = apply.finish(Duration::from_secs(240));

    let from = stack.request_count();
    stack.apply();
    let creates = stack
        .mutating_requests_since(from)
        .iter()
        .filter(|r| r.as_str() == GATEWAY_CREATE)
        .count();
    // The create was acknowledged (logged) before the kill, so it is durable: never sent again.
    assert_eq!(creates, 0, "duplicate gateway create");
    let (vnets, gateway) = stack.outside_terraform(|client, ctx| async move {
        let netcfg = client.get_network_config(&ctx).await.expect("netcfg");
        let gateway = client.get_vnet_gateway(&ctx, "Shared").await;
        (netcfg.virtual_network_sites().len(), gateway.is_ok())
    });
    assert_eq!(vnets, 1);
    assert!(gateway, "the gateway is lost");
    eprintln!(
        "emulator killed mid gateway create: first apply {}, second apply converged",
        if first.success() {
            "still succeeded"
        } else {
            "failed"
        }
    );
    stack.assert_clean_plan();
}
