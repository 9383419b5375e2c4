//! A Terraform workspace wired to a fresh emulator: the provider reaches the emulator through the
//! environment (`AZURE_SUBSCRIPTION_ID`, `AZURE_MANAGEMENT_URL`), each stack in its own subscription
//! with a pre-provisioned ExpressRoute circuit. Acceptance tests read like the procedure: write the
//! configuration, apply, plan, import, destroy, then look at `terraform show -json` and at the
//! emulator's request log.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use azureclassic::asm::client::{CallContext, Client, ClientSettings};

use super::emulator::{Emulator, LoggedRequest};
use super::{required_providers, Output, Terraform, Workspace};

/// The service key of the circuit every stack's emulator pre-provisions (Enabled, Provisioned).
pub const CIRCUIT_KEY: &str = "bc6e8f4c-1d8a-4c6e-9a3e-1f0d2b3c4d5e";

pub struct Stack {
    pub emulator: Emulator,
    pub ws: Workspace,
    pub subscription: String,
}

impl Stack {
    /// An emulator with the circuit (plus `emulator_args`) and a workspace pointing at it.
    pub fn new(terraform: &Terraform, emulator_args: &[&str]) -> Stack {
        let circuit = format!("--circuit={CIRCUIT_KEY}");
        let mut args = vec![circuit.as_str(), "--op-delay=gateway-create=50ms"];
        args.extend_from_slice(emulator_args);
        let emulator = Emulator::start(&args);
        let subscription = uuid::Uuid::new_v4().to_string();
        let mut ws = Workspace::new(terraform);
        ws.set_env("AZURE_SUBSCRIPTION_ID", &subscription);
        ws.set_env("AZURE_MANAGEMENT_URL", &emulator.url);
        Stack {
            emulator,
            ws,
            subscription,
        }
    }

    pub fn version(&self) -> &str {
        &self.ws.terraform.version
    }

    /// Writes `main.tf`: the required_providers block, an empty provider block, then `body`.
    pub fn write_config(&self, body: &str) {
        self.ws.write(
            "main.tf",
            &format!(
                "{}provider \"azureclassic\" {{}}\n{body}",
                required_providers()
            ),
        );
    }

    /// Copies an example directory's `.tf` files into the workspace (its own terraform block
    /// included), plus a `terraform.tfvars` with `vars`.
    pub fn use_example(&self, dir: &str, vars: &[(&str, &str)]) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let entries = std::fs::read_dir(&root).expect("example directory");
        for entry in entries.map_while(Result::ok) {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "tf") {
                let text = std::fs::read_to_string(&path).expect("example file");
                let name = entry.file_name();
                self.ws.write(&name.to_string_lossy(), &text);
            }
        }
        let tfvars: String = vars.iter().map(|(k, v)| format!("{k} = {v:?}\n")).collect();
        self.ws.write("terraform.tfvars", &tfvars);
    }

    /// Runs terraform, failing the test with both streams when it does not exit 0.
    pub fn ok(&self, args: &[&str]) -> Output {
        let out = self.ws.terraform(args);
        assert!(
            out.success(),
            "terraform {} ({}): {}",
            args.join(" "),
            self.version(),
            out.all()
        );
        out
    }

    pub fn apply(&self) -> Output {
        self.ok(&["apply", "-auto-approve", "-input=false", "-no-color"])
    }

    pub fn destroy(&self) -> Output {
        self.ok(&["destroy", "-auto-approve", "-input=false", "-no-color"])
    }

    /// `terraform plan -detailed-exitcode`: exit 0 = no changes, 2 = changes, 1 = error.
    pub fn plan(&self) -> Output {
        self.ws
            .terraform(&["plan", "-detailed-exitcode", "-input=false", "-no-color"])
    }

    /// Asserts the next plan shows no changes.
    pub fn assert_clean_plan(&self) {
        let out = self.plan();
        assert_eq!(
            out.code,
            Some(0),
            "expected no changes ({}): {}",
            self.version(),
            out.all()
        );
    }

    pub fn import(&self, address: &str, id: &str) -> Output {
        self.ok(&["import", "-input=false", "-no-color", address, id])
    }

    /// `terraform show -json` of the state.
    pub fn state_json(&self) -> serde_json::Value {
        parse_json(&self.ok(&["show", "-json"]))
    }

    /// Saves a plan to `tfplan` and returns `terraform show -json tfplan`.
    pub fn plan_json(&self) -> serde_json::Value {
        self.ok(&["plan", "-input=false", "-no-color", "-out=tfplan"]);
        parse_json(&self.ok(&["show", "-json", "tfplan"]))
    }

    /// The managed resources in the state: address -> attribute values.
    pub fn resources(&self) -> BTreeMap<String, serde_json::Value> {
        let state = self.state_json();
        state["values"]["root_module"]["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                (
                    r["address"].as_str().unwrap_or_default().to_string(),
                    r["values"].clone(),
                )
            })
            .collect()
    }

    /// The emulator's log of requests to this stack's subscription.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        let prefix = format!("/{}/", self.subscription);
        self.emulator
            .requests()
            .into_iter()
            .filter(|r| r.path.starts_with(&prefix))
            .collect()
    }

    /// Every request other than GET, as `METHOD path-after-the-subscription`, in order.
    pub fn mutating_requests(&self) -> Vec<String> {
        self.mutating_requests_since(0)
    }

    /// Asserts Terraform exited with an error whose output holds each of `expected`, and that the
    /// service saw no change.
    pub fn assert_refused(&self, out: &Output, expected: &[&str]) {
        assert_eq!(out.code, Some(1), "{}: {}", self.version(), out.all());
        for e in expected {
            assert!(
                out.stderr.contains(e),
                "missing {e:?} ({}): {}",
                self.version(),
                out.all()
            );
        }
        assert_eq!(self.mutating_requests(), Vec::<String>::new());
    }
}

impl Stack {
    /// Runs `work` with an API client of this stack's subscription: what a user does outside
    /// Terraform (a VNet made by hand, a gateway deleted behind Terraform's back).
    pub fn outside_terraform<T, Fut>(&self, work: impl FnOnce(Client, CallContext) -> Fut) -> T
    where
        Fut: Future<Output = T>,
    {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let settings =
            ClientSettings::new(&self.subscription, &self.emulator.url).expect("settings");
        let client = Client::new(settings).expect("client");
        let ctx = CallContext::with_timeout(Duration::from_secs(60));
        runtime.block_on(work(client, ctx))
    }

    /// `terraform output -json`, as name -> value.
    pub fn outputs(&self) -> BTreeMap<String, serde_json::Value> {
        let out = self.ok(&["output", "-json"]);
        let all: BTreeMap<String, serde_json::Value> = serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("terraform output -json: {e}\n{}", out.all()));
        all.into_iter()
            .map(|(k, v)| (k, v["value"].clone()))
            .collect()
    }

    /// How many requests the emulator has logged for this stack so far (to look at what follows).
    pub fn request_count(&self) -> usize {
        self.requests().len()
    }

    /// The mutating requests logged after the first `from` requests.
    pub fn mutating_requests_since(&self, from: usize) -> Vec<String> {
        let prefix = format!("/{}", self.subscription);
        self.requests()
            .into_iter()
            .skip(from)
            .filter(|r| r.method != "GET")
            .map(|r| format!("{} {}", r.method, r.path.trim_start_matches(&prefix)))
            .collect()
    }
}

/// Asserts that `requests` contains a request matching each of `expected` (`METHOD path`, exact),
/// in that order (other requests may come between).
pub fn assert_in_order(requests: &[String], expected: &[&str]) {
    let mut at = 0;
    for e in expected {
        match requests[at..].iter().position(|r| r == e) {
            Some(i) => at += i + 1,
            None => panic!("{e:?} missing or out of order in {requests:#?}"),
        }
    }
}

fn parse_json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("terraform show -json: {e}\n{}", out.all()))
}
